/**
 * The values of `range(start, stop, step)`. Computed as start + i·step (not by
 * repeated addition) and rounded to the decimals the inputs were written with,
 * so range(0, 0.3, 0.1) is [0, 0.1, 0.2, 0.3], not [0, 0.1, 0.2, 0.30000000000000004]
 * without its last point.
 */
import type { RangeSpec } from './value-specs';

export const MAX_RANGE_POINTS = 1_000_000;

/** Relative slack for "stop lands exactly on a step". */
const LANDING_TOLERANCE = 1e-9;

/** Number of points, or an Error explaining why the range is unusable. */
export function rangeLength({ start, stop, step }: RangeSpec): number {
  if (step === 0) throw new Error('step must not be 0');
  const span = (stop - start) / step;
  if (span < -LANDING_TOLERANCE) {
    throw new Error(`step ${step} goes away from stop ${stop} (start ${start})`);
  }
  const count = Math.floor(Math.max(0, span) + LANDING_TOLERANCE) + 1;
  if (count > MAX_RANGE_POINTS) throw new Error(`range has ${count} points (at most ${MAX_RANGE_POINTS})`);
  return count;
}

export function rangeValues(spec: RangeSpec): number[] {
  const count = rangeLength(spec);
  const decimals = Math.max(decimalPlaces(spec.start), decimalPlaces(spec.step));
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const raw = spec.start + i * spec.step;
    values.push(decimals <= 15 ? roundTo(raw, decimals) : raw);
  }
  return values;
}

/** Digits after the decimal point in the shortest representation: 0.25 → 2, 1e-7 → 7, 1.5e-7 → 8. */
export function decimalPlaces(x: number): number {
  const text = String(Math.abs(x));
  const [mantissa = '', exponent] = text.split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - (exponent ? Number(exponent) : 0));
}

function roundTo(x: number, decimals: number): number {
  const rounded = Number(x.toFixed(decimals));
  return Object.is(rounded, -0) ? 0 : rounded;
}
