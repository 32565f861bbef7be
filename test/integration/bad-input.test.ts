/**
 * The bad-input corpus (test/fixtures/bad-sweeps/): every malformed sweep file
 * is refused by `sweep submit` with exit code 2 and a message naming the file
 * and the field, and nothing reaches Postgres or Temporal, though the CLI is
 * pointed at real ones.
 *
 * The whole corpus runs through the CLI's main() in one process (./cli-batch.ts:
 * the same loader as `sweep`, a process start once instead of per case); a few
 * cases also run as real `sweep` processes for the exit code and stderr end to end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliBatch } from '../support/cli-batch';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const CORPUS = 'test/fixtures/bad-sweeps';

interface BadSweep {
  readonly name: string;
  /** As the CLI is given it (relative to the repository root, the tests' working directory). */
  readonly file: string;
  readonly args: string[];
  /** The start of stderr's first line. */
  readonly expected: string;
}

function readCorpus(): BadSweep[] {
  return readdirSync(CORPUS)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => {
      const file = join(CORPUS, name);
      const text = readFileSync(file, 'utf8');
      const expect = /^\/\/ expect: (.*)$/m.exec(text)?.[1];
      if (!expect) throw new Error(`${file} has no '// expect:' line`);
      const args = /^\/\/ args: (.*)$/m.exec(text)?.[1]?.split(' ') ?? [];
      return { name: name.replace(/\.ts$/, ''), file, args, expected: expect.replace(/^FILE/, file) };
    });
}

const corpus = readCorpus();
// No workers: a sweep that got through would sit in Temporal and Postgres, plain to see.
const stack = useTestStack({ workers: [] });

async function workflowIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of stack.client.workflow.list()) ids.push(execution.workflowId);
  return ids;
}

describe('the bad-input corpus', () => {
  it('has at least 50 cases, each expecting the file and then a field or a line:column', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    for (const { file, expected } of corpus) {
      // `FILE: field: reason` or `FILE:line:column: reason`; never the file alone.
      expect(expected.slice(file.length), file).toMatch(/^(:\d+:\d+|: [^:]+): \S/);
    }
  });

  it('refuses every case with exit code 2 and its message; nothing reaches Postgres or Temporal', async () => {
    const started = Date.now();
    const runs = await runCliBatch(corpus.map((c) => ['submit', c.file, ...c.args]), stack.env);
    const seconds = (Date.now() - started) / 1000;
    console.log(`bad-input corpus: ${corpus.length} cases through main() in ${seconds.toFixed(1)} s`);

    const wrong = corpus.flatMap((c, i) => {
      const run = runs[i]!;
      const firstLine = run.stderr.split('\n')[0] ?? '';
      return run.code === 2 && firstLine.startsWith(c.expected) && run.stdout === ''
        ? []
        : [`${c.name}: exit ${run.code}\n  expected ${c.expected}\n  got      ${firstLine}${run.stdout ? `\n  stdout   ${run.stdout}` : ''}`];
    });
    expect(wrong, wrong.join('\n')).toEqual([]);

    expect(await stack.prisma.sweep.count()).toBe(0);
    expect(await stack.prisma.trial.count()).toBe(0);
    expect(await stack.prisma.sweepTrial.count()).toBe(0);
    expect(await workflowIds()).toEqual([]);
  });

  it('exits 2 from the real `sweep` process too, the message on stderr', async () => {
    const sample = ['syntax-stray-token', 'throws-at-import', 'parameter-misspelt', 'huge-expansion-grid', 'preset-names-nothing'];
    const runs = await Promise.all(
      sample.map(async (name) => {
        const c = corpus.find((b) => b.name === name)!;
        return { c, run: await runCli(['submit', c.file, ...c.args], stack.env, { bin: true }) };
      }),
    );
    for (const { c, run } of runs) {
      expect(run.code, `${c.name}: ${run.stderr}`).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(new RegExp(`^${escapeRegExp(c.expected)}`));
      expect(run.stdout).toBe('');
    }
    expect(await stack.prisma.sweep.count()).toBe(0);
    expect(await workflowIds()).toEqual([]);
  });

  it('(the control) sees a good sweep arrive in both, so the checks above could fail', async () => {
    const good = await runCli(['submit', 'test/fixtures/noop-failures.ts', '--json'], stack.env);
    expect(good.code, good.stderr).toBe(0);
    expect(await stack.prisma.sweep.count()).toBe(1);
    expect(await stack.prisma.trial.count()).toBe(3);
    await stack.until('the sweep workflow to be listed', async () => (await workflowIds()).length > 0);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
