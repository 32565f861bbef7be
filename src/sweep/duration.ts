/**
 * Durations in sweep files: a number of milliseconds, or a string such as
 * '500ms', '30s', '5m', '2h', '1d' (decimals allowed: '1.5h').
 */
export type Duration = number | `${number}${DurationUnit}`;
export type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd';

const UNIT_MS: Record<DurationUnit, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** Milliseconds (a whole number), or an Error saying why the value is not a duration. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new Error(`expected a non-negative number of milliseconds, got ${value}`);
    return Math.round(value);
  }
  if (typeof value === 'string') {
    const match = DURATION_PATTERN.exec(value);
    if (!match) {
      throw new Error(`'${value}' is not a duration (write e.g. '500ms', '30s', '5m', '2h', or a number of milliseconds)`);
    }
    return Math.round(Number(match[1]) * UNIT_MS[match[2] as DurationUnit]);
  }
  throw new Error(`expected a duration ('30s', '5m', '2h' or milliseconds), got ${value === null ? 'null' : typeof value}`);
}

/** '90000' ms → '1m30s': for messages and the CLI. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}
