/**
 * MNIST at 8×8: the digits of mnist.ts (same split, same order) shrunk by area
 * averaging. Exact linear-region counting by MILP is feasible only in small
 * input dimensions, so the regions study runs its exact counts here (64 inputs
 * rather than 784), as the 8×8 digits serve such studies in the literature.
 */
import { areaResample } from './area-resample';
import type { RawSplit, Split } from './dataset';
import { loadMnistSplit } from './mnist';

export const MNIST8_SIDE = 8;

const cache = new Map<Split, RawSplit>();

export function loadMnist8Split(split: Split): RawSplit {
  const cached = cache.get(split);
  if (cached) return cached;
  const full = loadMnistSplit(split);
  const scale = full.pixels instanceof Uint8Array ? 1 / 255 : 1;
  const pixels = areaResample(full.pixels, full.count, full, { height: MNIST8_SIDE, width: MNIST8_SIDE }, scale);
  const small: RawSplit = { ...full, name: 'mnist8', height: MNIST8_SIDE, width: MNIST8_SIDE, pixels };
  cache.set(split, small);
  return small;
}
