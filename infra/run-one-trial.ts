/**
 * Runs one trial in a trial process exactly as a worker would (fork, same
 * backend choice, same thread settings), with no Temporal or Postgres, and
 * prints what it ran on and its summary as JSON:
 *
 *   npx tsx infra/run-one-trial.ts [FAMILY] [PARAMS_JSON] [SEED]
 *
 * Defaults: a 2-epoch CNN `train` trial on 2,000 MNIST digits. Used by
 * check-gpu-backend.sh to show which device a real trial gets on a host.
 */
import { availableParallelism } from 'node:os';
import { runTrialProcess } from '../src/activities/trial-process';
import { codeVersionOf } from '../src/experiments/family';
import { getFamily } from '../src/experiments/registry';
import type { TrialParams } from '../src/sweep/trial';
import { threadsPerTrial, trialThreadEnv } from '../src/worker/trial-threads';

const [family = 'train', paramsJson = '{"arch":"cnn","width":8,"epochs":2,"trainSize":2000,"testSize":1000}', seedText = '1'] = process.argv.slice(2);
const params = getFamily(family).params.parse(JSON.parse(paramsJson)) as TrialParams;
const started = performance.now();
const result = await runTrialProcess(
  { key: 'run-one-trial', family, codeVersion: codeVersionOf(getFamily(family)), params, seed: Number(seedText), index: 0 },
  {
    // One slot: the trial gets every core, as on a dedicated GPU worker's single slot.
    env: { ...trialThreadEnv(threadsPerTrial(availableParallelism(), 1)), ...(process.env.CUDA_VISIBLE_DEVICES ? { CUDA_VISIBLE_DEVICES: process.env.CUDA_VISIBLE_DEVICES } : {}) },
    onLog: (message) => console.error(`trial: ${message}`),
  },
);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ family, params, seconds: Number(seconds.toFixed(1)), ...result, points: undefined }, null, 2));
process.exit(result.ok ? 0 : 1);
