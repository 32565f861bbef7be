/**
 * Records the workflow histories that test/workflows/replay.test.ts replays
 * against today's workflow code, so a change that would break running sweeps
 * (a non-deterministic change) fails CI instead of a sweep in production.
 *
 *   npx tsx test/workflows/record-histories.ts                 # the default scenarios, into test/workflows/histories/
 *   npx tsx test/workflows/record-histories.ts continued       # one scenario
 *   npx tsx test/workflows/record-histories.ts --out /tmp/h many
 *
 * It starts a Temporal dev server from our built CLI and an in-process worker
 * with stubbed activities (test/workflows/harness.ts), runs each scenario, and
 * writes each run's history as JSON (the format of `temporal workflow show
 * --output json` and the web UI's download: see history-json.ts).
 *
 * The `pre-patch.*` fixtures are the scenarios `cancelled-child` and `paused`
 * recorded with the workflow code from before the `cancelled-child-is-error`
 * patch (e.g. commit ee0ba35), the runs that patch keeps working:
 *
 *   git archive ee0ba35 | tar -x -C /tmp/pre && ln -s "$PWD/node_modules" /tmp/pre/
 *   mkdir -p /tmp/pre/test/workflows && git archive b8df8bb test/workflows | tar -x -C /tmp/pre
 *   (cd /tmp/pre && npx tsx test/workflows/record-histories.ts --out "$OLDPWD/test/workflows/histories" --prefix pre-patch. cancelled-child paused)
 *
 * The `pre-status.*` fixtures are the default scenarios as recorded before the
 * `sweep-status-attribute` patch (sweeps submitted without SweepStatus, children
 * without summaries). The `pre-status.submitted-with-status.*` ones are the
 * workflow code from before that patch (commit b8df8bb) running sweeps started
 * as today's `sweep submit` starts them, with SweepStatus: what a deploy meets.
 * Today's tree with the two workflow files of b8df8bb:
 *
 *   mkdir -p /tmp/pre && git ls-files -co --exclude-standard | tar -cf - -T - | tar -x -C /tmp/pre && ln -s "$PWD/node_modules" /tmp/pre/
 *   for f in sweep-workflow.ts trial-workflow.ts; do git show b8df8bb:src/workflows/$f > /tmp/pre/src/workflows/$f; done
 *   (cd /tmp/pre && npx tsx test/workflows/record-histories.ts --out "$OLDPWD/test/workflows/histories" --prefix pre-status.submitted-with-status. paused cancelled)
 *
 * When to re-record: never to make a failing replay test pass. A replay failure
 * means the change would break sweeps that are running when it is deployed;
 * version the change with patched() (README, "How it works") and keep the old
 * fixtures. Add fixtures (new names) when a change adds a path worth guarding;
 * delete a fixture only together with the patch it guards (deprecatePatch).
 *
 * `many` (900 trials, three runs of 400 at the production TRIALS_PER_RUN) is
 * not a committed fixture (a few MB per run); record it into a scratch folder
 * (and replay it with SWEEP_REPLAY_HISTORIES) to check a refactoring of the
 * sweep workflow against real-sized runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepSearchAttributes } from '../../src/client/sweep-start-options';
import { pauseSignal, resumeSignal } from '../../src/workflows/definitions';
import { historyToJson } from './history-json';
import { runChain, startHarness, stubExecution, until, type Harness, type StubBehaviour } from './harness';

export const HISTORIES_DIR = fileURLToPath(new URL('./histories', import.meta.url));

interface Recorded {
  readonly file: string;
  readonly history: Awaited<ReturnType<typeof runChain>>[number]['history'];
}

function sweepInput(h: Harness, sweepId: string, behaviours: readonly StubBehaviour[], concurrency: number, extra: object = {}) {
  h.world.addSweep(sweepId, behaviours, { delayMs: 100 });
  return {
    sweepId,
    name: sweepId,
    family: 'noop',
    execution: stubExecution(h.taskQueue, concurrency),
    total: behaviours.length,
    skipped: 0,
    varying: ['stub'],
    ...extra,
  };
}

/** As `sweep submit` starts one: with its search attributes (SweepStatus among them). */
async function startSweep(h: Harness, input: { sweepId: string; name: string; family: string }) {
  return h.client.workflow.start('sweepWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: input.sweepId,
    args: [input],
    typedSearchAttributes: sweepSearchAttributes(input),
  });
}

const MIXED: StubBehaviour[] = ['done', 'done', 'math', 'done', 'crash', 'done', 'done', 'done', 'done', 'done'];

/** Runs a sweep to its end, pausing it once two trials are done and resuming it half a second later. */
async function runPausedAndResumed(h: Harness, input: { sweepId: string; name: string; family: string }) {
  const handle = await startSweep(h, input);
  await until('two trials done', () => h.world.statuses(input.sweepId).filter((s) => s === 'done').length >= 2);
  await handle.signal(pauseSignal);
  await new Promise((r) => setTimeout(r, 500));
  await handle.signal(resumeSignal);
  await handle.result();
  return runChain(h.client, input.sweepId, handle.firstExecutionRunId);
}

async function childHistory(h: Harness, childId: string, file: string): Promise<Recorded> {
  return { file, history: await h.client.workflow.getHandle(childId).fetchHistory() };
}

const scenarios: Record<string, (h: Harness) => Promise<Recorded[]>> = {
  /** 10 trials (one math failure, one crash), window 3, pages of 4, 3 trials per run: four runs, with a pause and a resume. */
  async continued(h) {
    const input = sweepInput(h, 'sweep-rec-continued', MIXED, 3, { tuning: { trialsPerRun: 3, pageSize: 4 } });
    const runs = await runPausedAndResumed(h, input);
    if (runs.length < 3) throw new Error(`expected at least 3 runs, got ${runs.length}`);
    return [
      ...runs.map(({ history }, i) => ({ file: `sweep-continued.run-${i + 1}.json`, history })),
      await childHistory(h, `${input.sweepId}/trial-0`, 'trial-done.json'),
      await childHistory(h, `${input.sweepId}/trial-2`, 'trial-failed.json'),
      await childHistory(h, `${input.sweepId}/trial-4`, 'trial-error.json'),
    ];
  },

  /** The same trials in one run (production run length), with a pause and a resume. */
  async paused(h) {
    const input = sweepInput(h, 'sweep-rec-paused', MIXED, 3);
    const runs = await runPausedAndResumed(h, input);
    return runs.map(({ history }, i) => ({ file: runs.length === 1 ? 'sweep-paused.json' : `sweep-paused.run-${i + 1}.json`, history }));
  },

  /**
   * A child cancelled by hand while its sweep runs on. Today it counts as an
   * error; before the patch the sweep ran it again (and `hold-once` then succeeds).
   */
  async 'cancelled-child'(h) {
    const input = sweepInput(h, 'sweep-rec-cancelled-child', ['hold-once', 'done', 'done'], 3);
    const handle = await startSweep(h, input);
    const childId = `${input.sweepId}/trial-0`;
    await until('trial 0 to hold', () => h.world.held().includes(`${input.sweepId}:0`));
    await h.client.workflow.getHandle(childId).cancel();
    await handle.result();
    return [
      { file: 'sweep-cancelled-child.json', history: await handle.fetchHistory() },
      await childHistory(h, childId, 'trial-cancelled.json'),
    ];
  },

  /** The sweep cancelled while two trials run and one waits. */
  async cancelled(h) {
    const input = sweepInput(h, 'sweep-rec-cancelled', ['hold', 'hold', 'done'], 2);
    const handle = await startSweep(h, input);
    await until('both trials to hold', () => h.world.held().length === 2);
    await handle.cancel();
    await handle.result().catch(() => undefined);
    return [{ file: 'sweep-cancelled.json', history: await handle.fetchHistory() }];
  },

  /** 900 instant trials, window 50, production run length: three runs. Not committed (size). */
  async many(h) {
    const input = sweepInput(h, 'sweep-rec-many', Array<StubBehaviour>(900).fill('done'), 50);
    const handle = await startSweep(h, input);
    await handle.result();
    const runs = await runChain(h.client, input.sweepId, handle.firstExecutionRunId);
    return runs.map(({ history }, i) => ({ file: `sweep-many.run-${i + 1}.json`, history }));
  },
};

/** Scenarios recorded by default (the pre-patch ones need the older code, `many` is not committed). */
const DEFAULT_SCENARIOS = ['continued', 'cancelled-child', 'cancelled'];

async function main(argv: string[]): Promise<void> {
  let out = HISTORIES_DIR;
  let prefix = '';
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i]!;
    else if (argv[i] === '--prefix') prefix = argv[++i]!;
    else names.push(argv[i]!);
  }
  for (const name of names) if (!scenarios[name]) throw new Error(`unknown scenario ${name} (known: ${Object.keys(scenarios).join(', ')})`);
  mkdirSync(out, { recursive: true });
  const h = await startHarness('record-histories');
  try {
    for (const name of names.length > 0 ? names : DEFAULT_SCENARIOS) {
      for (const { file, history } of await scenarios[name]!(h)) {
        const path = join(out, `${prefix}${file}`);
        writeFileSync(path, `${historyToJson(history)}\n`);
        console.log(`${path}: ${history.events?.length ?? 0} events`);
      }
    }
  } finally {
    await h.stop();
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
