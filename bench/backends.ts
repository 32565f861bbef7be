/**
 * MLP training throughput on the wasm and pure-JS cpu backends, side by side
 * in one run: `npx tsx bench/backends.ts`.
 *
 * Workload: MLP 784-256-256-10, batch 128, Adam, 1,024 MNIST digits (the
 * sweeplab training loop itself, seeded identically on both backends). One
 * warm-up epoch, then three timed epochs; prints the median examples/s per
 * backend and the ratio. Prints, asserts nothing. About 10–15 s on 2 cores.
 */
import * as tf from '@tensorflow/tfjs';
import { cpus } from 'node:os';
import { initBackend } from '../src/experiments/backend';
import { loadDataset } from '../src/experiments/data/load';
import { buildMlp } from '../src/experiments/models/mlp';
import { train } from '../src/experiments/training';

const EXAMPLES = 1024;
const TIMED_EPOCHS = 3;

const trainSet = loadDataset('mnist', 'train', EXAMPLES, 1);
// Ten test examples: the per-epoch evaluation costs well under 1% of an epoch.
const testSet = loadDataset('mnist', 'test', 10, 2);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function examplesPerSecond(choice: 'wasm' | 'cpu'): Promise<{ median: number; all: number[] }> {
  process.env.SWEEP_TFJS_BACKEND = choice;
  await initBackend();
  const model = buildMlp({ width: 256, depth: 2, seed: 1 });
  const rates: number[] = [];
  let epochStart = performance.now();
  await train(model, trainSet, testSet, {
    optimizer: 'adam',
    learningRate: 1e-3,
    epochs: 1 + TIMED_EPOCHS,
    batchSize: 128,
    seed: 1,
    onEpoch: ({ epoch }) => {
      const now = performance.now();
      if (epoch > 1) rates.push(EXAMPLES / ((now - epochStart) / 1000));
      epochStart = performance.now();
    },
  });
  model.dispose();
  return { median: median(rates), all: rates };
}

console.log(`MLP 784-256-256-10, batch 128, Adam, ${EXAMPLES} examples/epoch; ${cpus().length} cores, Node ${process.version}, tfjs ${tf.version.tfjs}`);
const results: Record<string, number> = {};
for (const choice of ['wasm', 'cpu'] as const) {
  const { median: rate, all } = await examplesPerSecond(choice);
  results[choice] = rate;
  console.log(`${choice.padEnd(5)} ${rate.toFixed(0).padStart(6)} examples/s  (epochs: ${all.map((r) => r.toFixed(0)).join(', ')})`);
}
console.log(`wasm / cpu = ${(results.wasm! / results.cpu!).toFixed(2)}×`);
