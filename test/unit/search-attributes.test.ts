/** Registering sweeplab's search attributes on a server that lacks them, as a real cluster does. */
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devServerSearchAttributes, ensureSearchAttributes, SWEEP_SEARCH_ATTRIBUTES } from '../../src/client/search-attributes';
import { startTestTemporal, type TestTemporal } from '../support/temporal';

const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

let temporal: TestTemporal;
let connection: Connection;

beforeAll(async () => {
  temporal = await startTestTemporal({ searchAttributes: [] });
  connection = await Connection.connect({ address: temporal.address });
});

afterAll(async () => {
  await connection?.close();
  await temporal?.stop();
});

async function customAttributes(): Promise<Record<string, number>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  return { ...response.customAttributes } as Record<string, number>;
}

describe('devServerSearchAttributes', () => {
  it('spells the same attributes as the dev server flags take them', () => {
    expect(devServerSearchAttributes()).toEqual(['SweepId=Keyword', 'SweepName=Keyword', 'Family=Keyword', 'SweepStatus=Keyword']);
  });
});

describe('ensureSearchAttributes', () => {
  it('adds the missing ones as Keyword, then is a no-op', async () => {
    expect(Object.keys(await customAttributes())).not.toContain('SweepId');

    const first = await ensureSearchAttributes(connection, 'default');
    expect([...first.added].sort()).toEqual(['Family', 'SweepId', 'SweepName', 'SweepStatus']);
    expect(await customAttributes()).toMatchObject({ SweepId: KEYWORD, SweepName: KEYWORD, Family: KEYWORD, SweepStatus: KEYWORD });

    const second = await ensureSearchAttributes(connection, 'default');
    expect(second.added).toEqual([]);
  });

  it('refuses a name that exists with another type', async () => {
    await ensureSearchAttributes(connection, 'default');
    await expect(ensureSearchAttributes(connection, 'default', [{ name: 'SweepId', type: 'INT' }])).rejects.toThrow(
      /SweepId is Keyword, sweeplab needs Int/,
    );
  });

  it('when the server refuses to add them, names the missing ones and the command that adds them', async () => {
    const denied = new Error('7 PERMISSION_DENIED: Request unauthorized.');
    const readOnly = {
      operatorService: {
        listSearchAttributes: async () => ({ customAttributes: { SweepId: KEYWORD }, systemAttributes: {} }),
        addSearchAttributes: async () => {
          throw denied;
        },
      },
    } as unknown as Pick<Connection, 'operatorService'>;
    const attempt = ensureSearchAttributes(readOnly, 'research', SWEEP_SEARCH_ATTRIBUTES);
    await expect(attempt).rejects.toThrow(/lacks search attribute\(s\) SweepName, Family, SweepStatus .*PERMISSION_DENIED/);
    await expect(attempt).rejects.toThrow(
      'temporal operator search-attribute create --namespace research --name SweepName --type Keyword\n' +
        '  temporal operator search-attribute create --namespace research --name Family --type Keyword\n' +
        '  temporal operator search-attribute create --namespace research --name SweepStatus --type Keyword',
    );
    await expect(attempt).rejects.not.toThrow(/--name SweepId/);
  });
});
