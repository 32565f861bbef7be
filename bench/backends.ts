/**
 * sweeplab's three models on every tfjs backend present, next to PyTorch CPU
 * and this machine's measured float32 matmul peak, in one run:
 *
 *   npx tsx bench/backends.ts [--quick] [--backends node,wasm,cpu] [--models mlp,cnn,lstm] [--no-torch]
 *
 * Workloads (sweeplab's own models and training loop, `train` of
 * src/experiments/training.ts, Adam 1e-3, MNIST digits of loadDataset):
 *   mlp   buildModel('mlp') width 256 depth 2 (784-256-256-10, ReLU), batch 128
 *   cnn   buildModel('cnn') width 8 (conv3×3(8)+pool2, conv3×3(16)+pool2, dense), batch 64
 *   lstm  buildModel('lstm') width 128 (28 rows of 28 pixels, last h → dense), batch 128
 * Training: one warm-up epoch, then the median of the timed epochs (5, or 3
 * with --quick) in examples/s. Inference: sweeplab's `evaluate` (batches of
 * 1,000) over the same examples, warm-up then median. The pure-JS `cpu`
 * backend runs the MLP only, on a small epoch: its CNN trains at well under
 * 1 example/s and its LSTM at ~30/s.
 *
 * PyTorch: bench/pytorch_models.py, the same shapes and batch sizes, Adam,
 * torch.set_num_threads(cores), run from a virtual environment this bench
 * makes once in ~/.cache/sweeplab/bench-venv (pinned below; PyPI's Linux torch
 * is the CUDA build, ~6 GB with its nvidia-* packages). Skipped, saying why,
 * when the venv cannot be made, with --no-torch, or under CI.
 *
 * Peak: numpy float32 matmul (sgemm) in that venv, threads = cores, with
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset for that command alone (they are
 * set on some machines for older OpenBLAS builds and slow a current one); the
 * kernel threadpoolctl reports is printed. Each model's training figure is
 * turned into GFLOP/s with
 *   training FLOPs per example ≈ 3 × forward FLOPs,
 *   forward FLOPs = 2 × multiply-adds of the matmuls and convolutions
 * (backward = two more matmuls/convs of the same size per layer; elementwise
 * ops, pooling, the loss and Adam are not counted).
 *
 * Prints only; asserts nothing. About 2–3 minutes on 2 cores (--quick: ~1), plus
 * the one-time venv install.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo, initBackend, type BackendChoice } from '../src/experiments/backend';
import type { Dataset } from '../src/experiments/data/dataset';
import { loadDataset } from '../src/experiments/data/load';
import type { Model } from '../src/experiments/models/model';
import { buildModel } from '../src/experiments/models/build';
import { evaluate, train } from '../src/experiments/training';
import { ensureVenv } from './support/python-venv';

// ---------------------------------------------------------------- options

const args = process.argv.slice(2);
function listFlag<T extends string>(name: string, all: readonly T[]): T[] {
  const at = args.indexOf(name);
  if (at < 0) return [...all];
  const values = (args[at + 1] ?? '').split(',').filter(Boolean);
  for (const v of values) if (!(all as readonly string[]).includes(v)) throw new Error(`${name}: unknown '${v}' (known: ${all.join(', ')})`);
  return values as T[];
}
const QUICK = args.includes('--quick');
const TIMED_EPOCHS = QUICK ? 3 : 5;
const WARMUP_EPOCHS = 1;
type ModelName = 'mlp' | 'cnn' | 'lstm';
type TfjsBackend = Extract<BackendChoice, 'node' | 'wasm' | 'cpu'>;
const MODELS = listFlag<ModelName>('--models', ['mlp', 'cnn', 'lstm']);
const BACKENDS = listFlag<TfjsBackend>('--backends', ['node', 'wasm', 'cpu']);
const WITH_TORCH = !args.includes('--no-torch');
const CORES = availableParallelism();

/** Examples per epoch (each timed epoch takes roughly 0.5–3 s), or why the pair is not run. */
const EPOCH_EXAMPLES: Record<TfjsBackend | 'torch', Record<ModelName, number | string>> = {
  node: { mlp: 8000, cnn: 4000, lstm: 2000 },
  torch: { mlp: 8000, cnn: 4000, lstm: 2000 },
  wasm: { mlp: 2048, cnn: 256, lstm: 512 },
  cpu: { mlp: 512, cnn: 'skipped: pure-JS CNN training runs at < 1 example/s', lstm: 'skipped: pure-JS LSTM training runs at ~30 examples/s' },
};
const scale = (n: number): number => (QUICK ? Math.max(256, Math.round(n / 2)) : n);

// ---------------------------------------------------------------- models

interface ModelSpec {
  readonly name: ModelName;
  readonly label: string;
  readonly batch: number;
  readonly build: () => Model;
  /** Multiply-adds of one example's forward pass (matmuls and convolutions). */
  readonly forwardMacs: number;
}

const mlpMacs = 784 * 256 + 256 * 256 + 256 * 10;
// conv0: 28·28 outputs × 8 channels × 3·3·1; conv1: 14·14 × 16 × 3·3·8; dense 7·7·16 → 10.
const cnnMacs = 28 * 28 * 8 * 9 * 1 + 14 * 14 * 16 * 9 * 8 + 7 * 7 * 16 * 10;
// input projection 28 steps × 28 → 512, recurrence 28 × 128 → 512, dense 128 → 10.
const lstmMacs = 28 * 28 * 512 + 28 * 128 * 512 + 128 * 10;

const SPECS: Record<ModelName, ModelSpec> = {
  mlp: { name: 'mlp', label: 'MLP 784-256-256-10', batch: 128, build: () => buildModel('mlp', { width: 256, depth: 2, seed: 1 }), forwardMacs: mlpMacs },
  cnn: { name: 'cnn', label: 'CNN conv8+conv16+dense', batch: 64, build: () => buildModel('cnn', { width: 8, seed: 1 }), forwardMacs: cnnMacs },
  lstm: { name: 'lstm', label: 'LSTM 128, 28×28 rows', batch: 128, build: () => buildModel('lstm', { width: 128, seed: 1 }), forwardMacs: lstmMacs },
};

/** Training FLOPs per example: 3 × forward (forward + two backward products per layer), 2 FLOPs per multiply-add. */
const trainFlops = (spec: ModelSpec): number => 3 * 2 * spec.forwardMacs;

// ---------------------------------------------------------------- helpers

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const fmt = (n: number | undefined, digits = 0): string =>
  n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? `${(a / b).toFixed(2)}×` : '—');
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

interface Measurement {
  readonly train: number;
  readonly trainAll: readonly number[];
  readonly infer: number;
  readonly examples: number;
}

const trainPool = loadDataset('mnist', 'train', 8000, 1);
// Ten test examples: the per-epoch test evaluation inside train() costs well under 1% of an epoch.
const testSet = loadDataset('mnist', 'test', 10, 2);
function firstExamples(data: Dataset, n: number): Dataset {
  return { ...data, count: n, images: data.images.subarray(0, n * data.features), labels: data.labels.subarray(0, n) };
}

async function measureTfjs(spec: ModelSpec, examples: number): Promise<Measurement> {
  const data = firstExamples(trainPool, examples);
  const model = spec.build();
  try {
    const rates: number[] = [];
    let epochStart = performance.now();
    await train(model, data, testSet, {
      optimizer: 'adam',
      learningRate: 1e-3,
      epochs: WARMUP_EPOCHS + TIMED_EPOCHS,
      batchSize: spec.batch,
      seed: 1,
      onEpoch: ({ epoch }) => {
        const now = performance.now();
        if (epoch > WARMUP_EPOCHS) rates.push(examples / ((now - epochStart) / 1000));
        epochStart = performance.now();
      },
    });
    const inferRates: number[] = [];
    for (let i = 0; i < WARMUP_EPOCHS + 3; i++) {
      const start = performance.now();
      await evaluate(model, data, 1000);
      if (i >= WARMUP_EPOCHS) inferRates.push(examples / ((performance.now() - start) / 1000));
    }
    return { train: median(rates), trainAll: rates, infer: median(inferRates), examples };
  } finally {
    model.dispose();
  }
}

/** tf.matMul n×n·n×n on the current backend, GFLOP/s (best of 5 after a warm-up). */
async function tfMatMulGflops(n: number): Promise<number> {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    const seconds = (performance.now() - start) / 1000;
    c.dispose();
    if (i > 0) best = Math.min(best, seconds);
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / best / 1e9;
}

// ---------------------------------------------------------------- the Python side

const PINS = ['torch==2.15.0', 'numpy==2.4.6', 'threadpoolctl==3.8.0'];
const VENV = join(homedir(), '.cache', 'sweeplab', 'bench-venv');
const PY_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pytorch_models.py');

/** The venv's python, made once (and again when the pins change); or why it is unavailable. */
function benchPython(): { python: string } | { skip: string } {
  if (process.env.CI) return { skip: 'CI is set: the PyTorch comparison never runs in CI' };
  if (!WITH_TORCH) return { skip: '--no-torch' };
  return ensureVenv({ dir: VENV, pins: PINS, label: 'the PyTorch venv', note: "PyPI's Linux torch is the CUDA build, ~6 GB" }, log);
}

function runPython(python: string, pyArgs: string[], env: NodeJS.ProcessEnv = process.env): unknown {
  const run = spawnSync(python, [PY_SCRIPT, ...pyArgs], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`${PY_SCRIPT} ${pyArgs.join(' ')}: ${run.error?.message ?? `exit ${run.status}`}\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

interface PeakResult {
  numpy: string;
  size: number;
  threads: number;
  gflops_best: number;
  gflops_median: number;
  blas: { internal_api?: string; version?: string; architecture?: string; num_threads?: number }[];
}
interface TorchResult { torch: string; threads: number; train: number; train_all: number[]; infer: number; examples: number }

// ---------------------------------------------------------------- run

process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
const started = performance.now();
console.log(
  `sweeplab backends bench${QUICK ? ' (--quick)' : ''}: ${CORES} cores, Node ${process.version}, tfjs ${tf.version.tfjs}; ` +
    `Adam 1e-3; ${WARMUP_EPOCHS} warm-up + median of ${TIMED_EPOCHS} timed epochs; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);

const results = new Map<string, Measurement>(); // `${backend}/${model}`
const backendLabels = new Map<string, string>();
let nativeMatMul: number | undefined;
const notes: string[] = [];

for (const backend of BACKENDS) {
  process.env.SWEEP_TFJS_BACKEND = backend;
  try {
    await initBackend();
  } catch (err) {
    notes.push(`${backend}: not measured: ${(err as Error).message.split('\n')[0]}`);
    continue;
  }
  const info = backendInfo();
  backendLabels.set(backend, `${info.name} ${info.version}, ${info.device}`);
  for (const name of MODELS) {
    const examples = EPOCH_EXAMPLES[backend][name];
    if (typeof examples === 'string') {
      notes.push(`${backend} ${name}: ${examples}`);
      continue;
    }
    log(`${backend} ${name}…`);
    results.set(`${backend}/${name}`, await measureTfjs(SPECS[name], scale(examples)));
  }
  if (backend === 'node') nativeMatMul = await tfMatMulGflops(1024);
}
tf.setBackend('cpu');

let peak: PeakResult | undefined;
const torch = new Map<ModelName, TorchResult>();
const py = benchPython();
if ('skip' in py) {
  notes.push(`PyTorch and the numpy peak: skipped (${py.skip})`);
} else {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  try {
    log('numpy sgemm peak…');
    peak = runPython(py.python, ['peak', '--size', '2048'], env) as PeakResult;
    const dataDir = mkdtempSync(join(tmpdir(), 'sweeplab-bench-'));
    try {
      writeFileSync(join(dataDir, 'x.f32'), trainPool.images);
      writeFileSync(join(dataDir, 'y.u8'), Uint8Array.from(trainPool.labels));
      for (const name of MODELS) {
        log(`torch ${name}…`);
        const examples = scale(EPOCH_EXAMPLES.torch[name] as number);
        torch.set(name, runPython(py.python, ['train', '--data', dataDir, '--model', name, '--examples', String(examples), '--epochs', String(TIMED_EPOCHS), '--warmup', String(WARMUP_EPOCHS)]) as TorchResult);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  } catch (err) {
    notes.push(`PyTorch: failed: ${(err as Error).message.split('\n').slice(0, 3).join(' / ')}`);
  }
}

// ---------------------------------------------------------------- report

console.log('\nBackends:');
for (const [backend, label] of backendLabels) console.log(`  ${backend.padEnd(6)} ${label}`);
const torchAny = [...torch.values()][0];
if (torchAny) console.log(`  torch  PyTorch ${torchAny.torch} CPU, ${torchAny.threads} threads (torch.set_num_threads)`);

if (peak) {
  const blas = peak.blas.map((b) => `${b.internal_api} ${b.version} kernel ${b.architecture}, ${b.num_threads} threads`).join('; ');
  console.log(`\nPeak: numpy ${peak.numpy} float32 matmul ${peak.size}³, ${peak.threads} threads: ${fmt(peak.gflops_best, 1)} GFLOP/s best (${fmt(peak.gflops_median, 1)} median); threadpoolctl: ${blas}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset for it`);
}
if (nativeMatMul) console.log(`       native tf.matMul 1024³ (TensorFlow's own kernel, same cores): ${fmt(nativeMatMul, 1)} GFLOP/s`);
console.log('FLOPs: training ≈ 3 × forward; forward = 2 × multiply-adds of matmuls/convs per example:');
for (const name of MODELS) console.log(`  ${name.padEnd(4)} ${fmt(trainFlops(SPECS[name]) / 1e6, 2)} MFLOP per training example`);

const header = `\n${'model'.padEnd(24)} ${'batch'.padStart(5)} ${'backend'.padEnd(7)} ${'ex/epoch'.padStart(8)} ${'train ex/s'.padStart(11)} ${'infer ex/s'.padStart(11)} ${'train GFLOP/s'.padStart(13)} ${'% of peak'.padStart(9)}   timed epochs (ex/s)`;
console.log(header);
const peakGflops = peak?.gflops_best;
for (const name of MODELS) {
  const spec = SPECS[name];
  const rows: [string, Measurement | undefined][] = [
    ...BACKENDS.map((b) => [b, results.get(`${b}/${name}`)] as [string, Measurement | undefined]),
    ['torch', torch.has(name) ? { train: torch.get(name)!.train, trainAll: torch.get(name)!.train_all, infer: torch.get(name)!.infer, examples: torch.get(name)!.examples } : undefined],
  ];
  for (const [backend, m] of rows) {
    if (!m) continue;
    const gflops = (m.train * trainFlops(spec)) / 1e9;
    console.log(
      `${spec.label.padEnd(24)} ${String(spec.batch).padStart(5)} ${backend.padEnd(7)} ${String(m.examples).padStart(8)} ${fmt(m.train).padStart(11)} ${fmt(m.infer).padStart(11)} ${fmt(gflops, 2).padStart(13)} ${(peakGflops ? `${((100 * gflops) / peakGflops).toFixed(1)}%` : '—').padStart(9)}   ${m.trainAll.map((r) => fmt(r)).join(', ')}`,
    );
  }
}

console.log('\nRatios (train / inference):');
for (const name of MODELS) {
  const node = results.get(`node/${name}`);
  const wasm = results.get(`wasm/${name}`);
  const cpu = results.get(`cpu/${name}`);
  const pt = torch.get(name);
  const parts = [`native/wasm ${ratio(node?.train, wasm?.train)} / ${ratio(node?.infer, wasm?.infer)}`];
  if (cpu) parts.push(`wasm/cpu ${ratio(wasm?.train, cpu.train)} / ${ratio(wasm?.infer, cpu.infer)}`);
  parts.push(`sweeplab-native/PyTorch ${ratio(node?.train, pt?.train)} / ${ratio(node?.infer, pt?.infer)}`);
  console.log(`  ${name.padEnd(4)} ${parts.join('   ')}`);
}

const mark = (ok: boolean | undefined): string => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
const nodeMlp = results.get('node/mlp');
const nodeCnn = results.get('node/cnn');
console.log('\nTargets (printed, not asserted):');
console.log(`  native ≥ 3× wasm, MLP training:        ${ratio(nodeMlp?.train, results.get('wasm/mlp')?.train).padStart(7)}  ${mark(nodeMlp && results.get('wasm/mlp') ? nodeMlp.train >= 3 * results.get('wasm/mlp')!.train : undefined)}`);
console.log(`  CNN training ≥ 1,000 examples/s:       ${fmt(nodeCnn?.train).padStart(7)}  ${mark(nodeCnn ? nodeCnn.train >= 1000 : undefined)}`);
for (const name of ['mlp', 'cnn'] as const) {
  const n = results.get(`node/${name}`);
  const p = torch.get(name);
  console.log(`  native ≥ 0.5× PyTorch, ${name.toUpperCase()} training:  ${ratio(n?.train, p?.train).padStart(7)}  ${mark(n && p ? n.train >= 0.5 * p.train : undefined)}`);
}
if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `  ${n}`).join('\n')}`);
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
