/**
 * Entry point of a trial process. The worker forks one per trial, so a trial
 * that crashes, leaks or hangs takes down only itself, and cancelling it is a kill.
 *
 * `--reuse N`: the process serves up to N trials one after another (the
 * worker's pool of warm processes, src/activities/trial-process-pool.ts), so
 * only the first pays for starting Node, compiling our TypeScript and loading
 * TensorFlow. Isolation is kept by exiting instead of taking another trial
 * after any failure, after N trials, and when a trial left tensors behind.
 */
import { executeTrial } from './execute-trial';
import { getFamily } from './registry';
import { importOnce, loadRunner } from './runner-cache';
import { ALIVE_EVERY_MS, type StartMessage, type TrialProcessMessage } from './trial-protocol';

function send(message: TrialProcessMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

const reuseAt = process.argv.indexOf('--reuse');
const maxTrials = reuseAt >= 0 ? Math.max(1, Number(process.argv[reuseAt + 1]) || 1) : 1;
let trialsRun = 0;

const tfjs = importOnce(() => import('@tensorflow/tfjs'));

/** Tensors alive in tfjs's engine, for families that use it (null otherwise: tfjs is not loaded for them). */
async function liveTensors(family: string): Promise<number | null> {
  try {
    const { default: runner } = await loadRunner(getFamily(family));
    if (!runner.usesTensorflow) return null;
    const tf = await tfjs();
    return tf.memory().numTensors;
  } catch {
    return null;
  }
}

/** Tensors alive after the first trial (module-level constants included): later trials must leave no more. */
let baseline: number | null | undefined;

async function runOne(start: StartMessage): Promise<void> {
  // Proof of life for the worker's hang detection: sent from this event loop, so a trial
  // that blocks it (or a stopped process) falls silent even between its progress points.
  const alive = setInterval(() => void send({ type: 'alive' }), ALIVE_EVERY_MS);
  const end = await executeTrial(start, (message) => void send(message)).finally(() => clearInterval(alive));
  await send(end);
  trialsRun++;
  if (trialsRun >= maxTrials || end.type !== 'done') process.exit(0);
  const tensors = await liveTensors(start.family);
  baseline ??= tensors;
  if (tensors !== null && baseline !== null && tensors > baseline) process.exit(0);
  await send({ type: 'ready' });
}

// If the worker dies, the IPC channel closes: stop rather than train for nobody.
process.on('disconnect', () => process.exit(75));
process.on('message', (start: StartMessage) => {
  if (start.type === 'start') void runOne(start);
});
// A pooled process says when it has started (its modules compiled and loaded), so the pool can
// hand it the next trial; a start message sent before this is queued and handled all the same.
if (maxTrials > 1) void send({ type: 'warm' });
