/**
 * How `--where K=V` and `--baseline K=V` match a value written on the command
 * line (always text) against parameter values (JSON: strings, numbers,
 * booleans, null). Numbers match by value, so 1e-3 selects 0.001. The same
 * rule runs in Node (matchesText) and in Postgres (jsonbCandidates: the jsonb
 * values the text can stand for, compared with jsonb's own equality, which is
 * numeric for numbers).
 */
import type { ParamValue } from '../sweep/trial';
import { TableRequestError } from './table-request-error';

function asNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

export function matchesText(value: ParamValue, text: string): boolean {
  if (typeof value === 'number') return asNumber(text) === value;
  if (typeof value === 'boolean') return String(value) === text;
  if (value === null) return text === 'null';
  return value === text;
}

/** The jsonb literals `text` matches: itself as a string, and as a number, boolean or null when it reads as one. */
export function jsonbCandidates(text: string): string[] {
  const candidates = [JSON.stringify(text)];
  const n = asNumber(text);
  if (n !== null) candidates.push(JSON.stringify(n));
  if (text === 'true' || text === 'false' || text === 'null') candidates.push(text);
  return candidates;
}

/** `K=V[,K2=V2]` (the value of --where or --baseline) → [[K, V], …]. */
export function parseConditions(flag: string, list: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const condition of list.split(',').map((c) => c.trim()).filter(Boolean)) {
    const [key, ...rest] = condition.split('=');
    if (!key?.trim() || rest.length === 0) throw new TableRequestError(`--${flag} takes KEY=VALUE pairs, got '${condition}'`);
    pairs.push([key.trim(), rest.join('=').trim()]);
  }
  return pairs;
}
