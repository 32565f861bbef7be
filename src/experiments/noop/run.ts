/**
 * `noop` trial: spends `durationMs` in `steps` equal slices, reporting after
 * each one, then returns `value`. Failure injection happens halfway, after the
 * progress point at or past 50%, so the orchestrator sees a trial that made
 * progress and then failed (on the first `failAttempts` attempts only, if set).
 */
import { TrialMathError } from '../errors';
import type { FamilyRunner, TrialContext } from '../family';
import type { NoopParams } from './params';

/** Exit code of an injected crash (EX_SOFTWARE): a dead process, not a reported failure. */
export const CRASH_EXIT_CODE = 70;

/**
 * A hung trial: alive but silent, its event loop blocked (no progress, no IPC, no
 * timers) without using a core, until something kills the process.
 */
function hangForever(): never {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

/** Longest stretch a burning loop runs before yielding, so IPC and heartbeats still flow. */
const BURN_SLICE_MS = 20;

async function sleepUntil(deadline: number): Promise<void> {
  // Timers may fire a millisecond early by performance.now(): wait again until truly past.
  for (let wait = deadline - performance.now(); wait > 0; wait = deadline - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}

/** Keeps a core busy until `deadline`, yielding to the event loop between slices. */
async function burnUntil(deadline: number): Promise<number> {
  let sink = 0;
  for (;;) {
    const now = performance.now();
    if (now >= deadline) return sink;
    const sliceEnd = Math.min(deadline, now + BURN_SLICE_MS);
    while (performance.now() < sliceEnd) {
      for (let i = 0; i < 1000; i++) sink = (sink + Math.sqrt(i + sink)) % 1e6;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function run(params: NoopParams, ctx: TrialContext): Promise<{ value: number; durationMs: number }> {
  const start = performance.now();
  const failAt = Math.ceil(params.steps / 2);
  const fail = params.failAttempts === undefined || ctx.attempt <= params.failAttempts ? params.fail : 'none';
  for (let step = 1; step <= params.steps; step++) {
    // Deadlines from the start, so rounding in one slice does not accumulate.
    const deadline = start + (params.durationMs * step) / params.steps;
    if (params.mode === 'burn') await burnUntil(deadline);
    else await sleepUntil(deadline);
    ctx.report(step, { progress: step / params.steps, value: params.value });
    if (step === failAt && fail !== 'none') {
      if (fail === 'math') {
        throw new TrialMathError(`noop: injected math failure at step ${step} of ${params.steps}`);
      }
      if (fail === 'hang') {
        ctx.log(`noop: injected hang at step ${step} of ${params.steps} (attempt ${ctx.attempt})`);
        // Let the log line leave before the event loop stops for good.
        await new Promise((resolve) => setTimeout(resolve, 50));
        hangForever();
      }
      ctx.log(`noop: injected crash at step ${step} of ${params.steps} (exit ${CRASH_EXIT_CODE})`);
      process.exit(CRASH_EXIT_CODE);
    }
  }
  return { value: params.value, durationMs: performance.now() - start };
}

const noop: FamilyRunner<NoopParams> = { usesTensorflow: false, run };
export default noop;
