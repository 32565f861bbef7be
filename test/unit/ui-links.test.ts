/** The web UI links `sweep submit` and `sweep status` print. */
import { afterEach, describe, expect, it } from 'vitest';
import { sweepNameQuery, sweepTrialsQuery, sweepUiLinks, workflowListUiUrl } from '../../src/client/ui-links';
import { formatColumns } from '../../src/cli/columns';
import { elapsedMs, formatElapsed } from '../../src/cli/elapsed';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('web UI links', () => {
  it('point at the sweep workflow and at the list of its trial workflows', () => {
    process.env.TEMPORAL_UI_URL = 'http://ui.lab:8233';
    process.env.TEMPORAL_NAMESPACE = 'research';
    const links = sweepUiLinks({ sweepId: 'sweep-ptu-grid-0123456789ab', workflowId: 'sweep-ptu-grid-0123456789ab' });
    expect(links.sweep).toBe('http://ui.lab:8233/namespaces/research/workflows/sweep-ptu-grid-0123456789ab');
    expect(links.trials).toBe(
      'http://ui.lab:8233/namespaces/research/workflows?query=' +
        encodeURIComponent('SweepId="sweep-ptu-grid-0123456789ab" AND WorkflowType="trialWorkflow"'),
    );
  });

  it('quote the values of a query', () => {
    expect(sweepTrialsQuery('a"b\\c')).toBe('SweepId="a\\"b\\\\c" AND WorkflowType="trialWorkflow"');
    expect(sweepNameQuery('ptu-grid')).toBe('SweepName="ptu-grid"');
    process.env.TEMPORAL_UI_URL = 'http://127.0.0.1:1';
    expect(workflowListUiUrl('x = 1')).toBe('http://127.0.0.1:1/namespaces/default/workflows?query=x%20%3D%201');
  });
});

describe('listing helpers', () => {
  it('align columns under their header, the last one unpadded', () => {
    expect(formatColumns(['A', 'LONG', 'C'], [['xyz', '1', 'last'], ['', '22', '']])).toBe('A    LONG  C\nxyz  1     last\n     22');
  });

  it('measure durations so far while running, and print tenths below ten seconds', () => {
    const start = new Date('2026-01-01T00:00:00Z');
    expect(elapsedMs(null, null, start)).toBeNull();
    expect(elapsedMs(start, null, new Date('2026-01-01T00:01:05Z'))).toBe(65_000);
    expect(elapsedMs(start, new Date('2026-01-01T00:00:02.5Z'), new Date('2027-01-01'))).toBe(2_500);
    expect(formatElapsed(2_500)).toBe('2.5s');
    expect(formatElapsed(65_000)).toBe('1m05s');
    expect(formatElapsed(null)).toBe('—');
  });
});
