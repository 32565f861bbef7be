/**
 * Content keys. A trial's key is the sha256 of the canonical JSON of
 * { family, params, seed }: equal trials get equal keys whatever order their
 * parameters were written in, so a result is found again across sweeps.
 * (node:crypto: for the CLI and activities, not for workflow code.)
 */
import { createHash } from 'node:crypto';
import type { TrialParams } from './trial';

/** JSON with every object's keys sorted, recursively; undefined properties dropped as JSON does. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    }
    return sorted;
  }
  return value;
}

/** Hex sha256 of a string (as UTF-8) or of bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `params` must be the fully-defaulted output of the family schema. */
export function trialKey(family: string, params: TrialParams, seed: number): string {
  return sha256Hex(canonicalJson({ family, params, seed }));
}

/** Hash of a resolved sweep (see resolve.ts for what it covers): half of the workflow id. */
export function specHash(resolvedDefinition: unknown): string {
  return sha256Hex(canonicalJson(resolvedDefinition));
}
