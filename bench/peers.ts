/**
 * sweeplab, Optuna and Ray Tune on the same workloads, one after the other in
 * one run (issue 14):
 *
 *   npx tsx bench/peers.ts [--trials N] [--seconds D] [--concurrency C] [--instant M]
 *                          [--only sweeplab,optuna,ray] [--skip-ray] [--workloads sleep,instant,process]
 *                          [--cap S] [--reuse R]
 *
 * Workloads (C in flight on every system):
 *   (a) sleep    N trials that each sleep D s (default 600 × 1 s × 20); minimum ceil(N/C)·D
 *   (b) instant  M trials that return at once (default 2,000), inline: sweeplab's noop with
 *                isolation 'inline' (in the worker), Optuna's objective in its threads, Ray's
 *                usual function trainable
 *   (c) process  the same M trials, each in a process other than the scheduler's: sweeplab's
 *                noop with isolation 'process' (its warm trial processes, each replaced after
 *                R trials, SWEEP_TRIAL_REUSE, default 50); Optuna's objective hands the trial to
 *                a ProcessPoolExecutor of C spawned processes, each replaced after R trials;
 *                Ray already runs every trial in a worker process (a fresh actor per trial,
 *                Tune's default), so its (b) run is shown again
 *
 * sweeplab: a private stack as bench/orchestration.ts starts it (Temporal dev server and
 * Postgres on free loopback ports in a temp folder, one worker with --slots C), a noop sweep
 * per workload, timed from submit to the workflow's completion (after a small warm-up sweep:
 * the worker bundles the workflows on first use). Optuna: RDB storage in a database of its
 * own on that same Postgres, GridSampler over the N values, n_jobs = C threads. Ray Tune:
 * ray.init(num_cpus=C) local-only and without dashboard, Tuner with max_concurrent_trials=C,
 * results in a temp folder. Every run stops at --cap seconds (default 600) and is then
 * reported as not finished.
 *
 * CPU seconds per run: for sweeplab the Temporal server, the worker with its trial
 * processes, Postgres and this bench's own process (submit and polling), from /proc; for
 * Optuna and Ray the driver's whole process tree (bench/peers_driver.py; Ray's exited
 * workers are sampled, see there), plus Postgres for Optuna.
 *
 * Optuna and Ray run from a venv this bench makes once in ~/.cache/sweeplab/peers-venv
 * (pinned below; remade when the pins change). Never runs under CI; prints, asserts nothing.
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { trialProcessReuse } from '../src/config';
import { codeRevision } from '../src/worker/code-revision';
import { SYSTEMS, type Outcome, type SystemName } from './peers/measurement';
import { runOnPython } from './peers/python-peer';
import { printTable } from './peers/report';
import { runOnSweeplab } from './peers/sweeplab-peer';
import { workloads as defineWorkloads, type Workload, type WorkloadName } from './peers/workloads';
import { startPrivateStack } from './support/private-stack';
import { treeCpuSeconds } from './support/process-tree';
import { ensureVenv } from './support/python-venv';

const PINS = ['optuna==5.1.0', 'ray[tune]==2.60.0', 'psycopg2-binary==2.9.13', 'psutil==7.2.2'];
const VENV = join(homedir(), '.cache', 'sweeplab', 'peers-venv');
const OPTUNA_DATABASE = 'peers_optuna';
/** The warm-up sweep: enough trials for the worker to bundle its workflows and open its pools. */
const WARM_UP_TRIALS = 20;

const log = (line: string): void => void process.stderr.write(`[peers] ${line}\n`);

function positive(name: string, raw: string | undefined, fallback: number, integer = true): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`--${name}: expected a positive ${integer ? 'whole ' : ''}number, got '${raw}'`);
  return value;
}

function list<T extends string>(name: string, raw: string | undefined, all: readonly T[]): T[] {
  if (raw === undefined) return [...all];
  const values = raw.split(',').filter(Boolean);
  for (const v of values) if (!(all as readonly string[]).includes(v)) throw new Error(`--${name}: unknown '${v}' (known: ${all.join(', ')})`);
  return values as T[];
}

const { values: flags } = parseArgs({
  options: {
    trials: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string' },
    instant: { type: 'string' },
    only: { type: 'string' },
    'skip-ray': { type: 'boolean' },
    workloads: { type: 'string' },
    cap: { type: 'string' },
    reuse: { type: 'string' },
  },
});

if (process.env.CI) {
  console.log('peers bench: skipped: CI is set (it installs Optuna and Ray Tune from PyPI and runs for many minutes)');
  process.exit(0);
}

const concurrency = positive('concurrency', flags.concurrency, 20);
const capSeconds = positive('cap', flags.cap, 600, false);
const reuse = positive('reuse', flags.reuse, trialProcessReuse());
const allWorkloads = defineWorkloads({
  trials: positive('trials', flags.trials, 600),
  seconds: positive('seconds', flags.seconds, 1, false),
  concurrency,
  instant: positive('instant', flags.instant, 2000),
});
const chosenWorkloads = list<WorkloadName>('workloads', flags.workloads, ['sleep', 'instant', 'process']).map((name) => allWorkloads[name]);
const systems = list<SystemName>('only', flags.only, SYSTEMS).filter((s) => !(s === 'ray' && flags['skip-ray']));

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
const benchStarted = performance.now();
console.log(
  `peers bench: ${availableParallelism()} cores (${cpuModel}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; ` +
    `load average at start ${loadAverage()}; ${concurrency} in flight, cap ${capSeconds} s; systems ${systems.join(', ')}`,
);

/** How each system runs the trials of a workload, said under the table. */
function howItRuns(system: SystemName, workload: Workload): string {
  if (system === 'sweeplab') {
    return workload.isolated
      ? `warm trial processes (isolation 'process'), each replaced after ${reuse} trials; worker --slots ${concurrency}`
      : `inline in the worker (isolation 'inline'); worker --slots ${concurrency}`;
  }
  if (system === 'optuna') {
    const where = workload.isolated ? `, each handing its trial to a ProcessPoolExecutor of ${concurrency} spawned processes replaced after ${reuse} trials` : '';
    return `GridSampler, RDB storage on the bench's Postgres, n_jobs=${concurrency} threads${where}`;
  }
  return `function trainable, a fresh actor (worker process) per trial; num_cpus=${concurrency}, max_concurrent_trials=${concurrency}`;
}

const outcomes = new Map<string, Outcome>();
const notes = new Map<string, string>();
const record = (outcome: Outcome): void => {
  outcomes.set(`${outcome.system}/${outcome.workload}`, outcome);
  if ('wallSeconds' in outcome) log(`${outcome.system} ${outcome.workload}: ${outcome.wallSeconds.toFixed(1)} s, ${outcome.completed} trials`);
  else log(`${outcome.system} ${outcome.workload}: failed: ${outcome.failed}`);
};

const pythonSystems = systems.filter((s): s is Exclude<SystemName, 'sweeplab'> => s !== 'sweeplab');
const venv = pythonSystems.length ? ensureVenv({ dir: VENV, pins: PINS, label: 'the peers venv (Optuna, Ray Tune)' }, log) : undefined;
if (venv && 'python' in venv && venv.created) console.log(`made the peers venv in ${VENV} (${PINS.join(' ')}) in ${venv.seconds.toFixed(0)} s`);

const stack = await startPrivateStack({ slots: concurrency, workerEnv: { SWEEP_TRIAL_REUSE: String(reuse) } });
let seed = 0;
try {
  if (systems.includes('sweeplab')) {
    log('sweeplab warm-up…');
    await runOnSweeplab(stack, { ...allWorkloads.instant, trials: WARM_UP_TRIALS }, { capSeconds, seed: seed++ });
  }
  const postgresPort = new URL(stack.postgres.url).port;
  if (systems.includes('optuna')) {
    const admin = new pg.Client({ connectionString: stack.postgres.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${OPTUNA_DATABASE}`);
    await admin.end();
  }
  const storage = `postgresql+psycopg2://${new URL(stack.postgres.url).username}@127.0.0.1:${postgresPort}/${OPTUNA_DATABASE}`;
  // The stack's Postgres asks for its generated password: libpq reads it from PGPASSWORD (kept out of argv and the URL).
  process.env.PGPASSWORD = decodeURIComponent(new URL(stack.postgres.url).password);

  for (const workload of chosenWorkloads) {
    for (const system of systems) {
      notes.set(`${system}/${workload.name}`, howItRuns(system, workload));
      const rayShown = outcomes.get(`ray/instant`);
      if (system === 'ray' && workload.name === 'process' && rayShown && 'wallSeconds' in rayShown) {
        const note = [rayShown.note, "the same run as (b): Ray's trials already run in worker processes"].filter(Boolean).join('; ');
        outcomes.set('ray/process', { ...rayShown, workload: 'process', note });
        continue;
      }
      log(`${system} ${workload.name}: ${workload.trials} trials…`);
      try {
        if (system === 'sweeplab') {
          record(await runOnSweeplab(stack, workload, { capSeconds, seed: seed++ }));
          continue;
        }
        if (!venv || 'skip' in venv) {
          record({ system, workload: workload.name, failed: venv && 'skip' in venv ? venv.skip : 'no venv' });
          continue;
        }
        // Short: Ray's socket paths under it must stay within 107 characters.
        const rayDir = system === 'ray' ? mkdtempSync(join(tmpdir(), 'sweeplab-ray-')) : undefined;
        const postgresBefore = treeCpuSeconds({ postgres: stack.postgres.pid }).postgres!;
        try {
          const measured = await runOnPython(system, workload, {
            python: venv.python,
            capSeconds,
            reuse,
            storage,
            study: `peers-${workload.name}-${seed++}`,
            rayDir,
            log,
          });
          // Optuna's storage is the bench's Postgres: its work there is Optuna's too.
          const postgres = treeCpuSeconds({ postgres: stack.postgres.pid }).postgres! - postgresBefore;
          record(system === 'optuna' ? { ...measured, cpuSeconds: { ...measured.cpuSeconds, postgres } } : measured);
        } finally {
          if (rayDir) rmSync(rayDir, { recursive: true, force: true });
        }
      } catch (err) {
        record({ system, workload: workload.name, failed: (err as Error).message });
      }
    }
  }
} finally {
  await stack.stop();
}

console.log('');
printTable(chosenWorkloads, systems, outcomes, notes);
const versions = [...new Set([...outcomes.values()].flatMap((o) => ('version' in o && o.version ? [o.version] : [])))];
if (systems.includes('sweeplab')) versions.unshift(`sweeplab ${codeRevision().slice(0, 12)}`);
console.log(`\n${[...versions, `load average at end ${loadAverage()}`, `${((performance.now() - benchStarted) / 1000).toFixed(0)} s in all`].join('; ')}`);
