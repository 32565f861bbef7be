/**
 * The check the PTU paper implies, at a scale this machine affords: on every
 * pair × architecture cell, is PTU ≥ target-only, and on most cells is PTU ≥
 * the best of fine-tune and share-k? Runs the grid in this process (trials are
 * the family's own `runTransfer`, source networks cached in memory and shared
 * across strategies and pairs of a seed), appends one JSON line per trial to
 * the results file, then prints per architecture the table (mean ± std of
 * target test accuracy over seeds) and the two checks. Prints, asserts nothing.
 *
 *   npx tsx bench/transfer-ptu-check.ts [results.jsonl]            # run what is missing, then report
 *   npx tsx bench/transfer-ptu-check.ts results.jsonl --report     # report only
 *   npx tsx bench/transfer-ptu-check.ts results.jsonl --arch cnn   # one architecture (run several in parallel)
 *
 * Settings: SETTINGS below (one target size, three seeds); rerunning resumes.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { initBackend } from '../src/experiments/backend';
import { MemoryArtifactStore } from '../src/experiments/artifacts/memory-store';
import { PAIR_NAMES } from '../src/experiments/transfer/domains';
import { transferParams, type TransferParams } from '../src/experiments/transfer/params';
import { runTransfer } from '../src/experiments/transfer/run';

const ARCHS = [
  { arch: 'mlp', width: 128 },
  { arch: 'cnn', width: 8 },
  { arch: 'lstm', width: 32 },
] as const;
const STRATEGIES = ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'] as const;
const SEEDS = [1, 2, 3];
const SETTINGS = { targetSize: 300, testSize: 1000, epochs: 15, batchSize: 32, k: 1, sourceSize: 4000, sourceEpochs: 3 };

interface Row {
  arch: string;
  pair: string;
  strategy: string;
  seed: number;
  testAccuracy: number;
  gates: Record<string, number>;
  seconds: number;
}

const file = process.argv[2] ?? 'transfer-ptu-check.jsonl';
const reportOnly = process.argv.includes('--report');
const archFlag = process.argv.indexOf('--arch');
const onlyArch = archFlag >= 0 ? process.argv[archFlag + 1] : undefined;

function load(): Row[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
}

async function runMissing(): Promise<void> {
  const backend = await initBackend();
  const done = new Set(load().map((r) => `${r.arch}|${r.pair}|${r.strategy}|${r.seed}`));
  // Architecture-major, so a partial run has complete tables for the first architectures.
  for (const { arch, width } of ARCHS.filter((a) => onlyArch === undefined || a.arch === onlyArch)) {
    const store = new MemoryArtifactStore(); // sources of one architecture; dropped after it
    for (const seed of SEEDS) {
      for (const pair of PAIR_NAMES) {
        for (const strategy of STRATEGIES) {
          if (done.has(`${arch}|${pair}|${strategy}|${seed}`)) continue;
          const params: TransferParams = transferParams.parse({ ...SETTINGS, arch, width, pair, strategy });
          const started = performance.now();
          const summary = await runTransfer(params, { seed, attempt: 1, backend, report: () => {}, log: () => {}, artifacts: store }, store);
          const gates = Object.fromEntries(Object.entries(summary).filter(([k]) => k.startsWith('gate')));
          const row: Row = { arch, pair, strategy, seed, testAccuracy: summary.testAccuracy!, gates, seconds: (performance.now() - started) / 1000 };
          appendFileSync(file, `${JSON.stringify(row)}\n`);
          console.error(`${arch} ${pair} ${strategy} seed ${seed}: ${row.testAccuracy.toFixed(4)} (${row.seconds.toFixed(1)} s)`);
        }
      }
    }
  }
}

function meanStd(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}

function report(): void {
  const rows = load();
  console.log(`settings: ${JSON.stringify(SETTINGS)}; widths ${ARCHS.map((a) => `${a.arch} ${a.width}`).join(', ')}; seeds ${SEEDS.join(', ')}\n`);
  for (const { arch } of ARCHS) {
    const ofArch = rows.filter((r) => r.arch === arch);
    if (ofArch.length === 0) continue;
    const pairs = PAIR_NAMES.filter((p) => ofArch.some((r) => r.pair === p));
    const cell = (pair: string, strategy: string) => ofArch.filter((r) => r.pair === pair && r.strategy === strategy).map((r) => r.testAccuracy);
    console.log(`### ${arch}: target test accuracy, mean ± std over seeds (n), best per column in bold\n`);
    console.log(`| strategy | ${pairs.join(' | ')} |`);
    console.log(`|---|${pairs.map(() => '---').join('|')}|`);
    const best = new Map(pairs.map((p) => [p, Math.max(...STRATEGIES.map((s) => { const v = cell(p, s); return v.length ? meanStd(v).mean : -1; }))]));
    for (const strategy of STRATEGIES) {
      const cells = pairs.map((p) => {
        const v = cell(p, strategy);
        if (v.length === 0) return '–';
        const { mean, std } = meanStd(v);
        const text = `${mean.toFixed(3)} ± ${std.toFixed(3)} (${v.length})`;
        return mean === best.get(p) ? `**${text}**` : text;
      });
      console.log(`| ${strategy} | ${cells.join(' | ')} |`);
    }
    let vsTarget = 0;
    let vsBaselines = 0;
    let complete = 0;
    const lines: string[] = [];
    for (const p of pairs) {
      const m = (s: string) => meanStd(cell(p, s)).mean;
      if (STRATEGIES.some((s) => cell(p, s).length < SEEDS.length)) continue;
      complete++;
      const ptu = m('ptu');
      const beatsTarget = ptu >= m('target-only');
      const bestBaseline = Math.max(m('fine-tune'), m('share-k'));
      const beatsBaselines = ptu >= bestBaseline;
      vsTarget += Number(beatsTarget);
      vsBaselines += Number(beatsBaselines);
      lines.push(`  ${p}: ptu ${ptu.toFixed(3)} vs target-only ${m('target-only').toFixed(3)} ${beatsTarget ? '≥' : '<'}; vs max(fine-tune, share-k) ${bestBaseline.toFixed(3)} ${beatsBaselines ? '≥' : '<'}`);
    }
    console.log(`\n${arch}: PTU ≥ target-only on ${vsTarget}/${complete} complete cells; PTU ≥ best of fine-tune and share-k on ${vsBaselines}/${complete}`);
    console.log(lines.join('\n'));
    const gateRows = ofArch.filter((r) => r.strategy === 'ptu');
    const gateNames = [...new Set(gateRows.flatMap((r) => Object.keys(r.gates)))].sort();
    console.log(`mean PTU gates over all ${arch} PTU trials: ${gateNames.map((g) => `${g} ${meanStd(gateRows.map((r) => r.gates[g]!)).mean.toFixed(3)}`).join(', ')}\n`);
  }
}

if (!reportOnly) await runMissing();
report();
