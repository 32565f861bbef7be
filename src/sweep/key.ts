/**
 * Content keys. A trial's key is the sha256 of the canonical JSON of
 * { family, codeVersion, params, seed }: equal trials get equal keys whatever
 * order their parameters were written in, so a result is found again across
 * sweeps, but only while the same code computes it: bumping a family's (or its
 * shared code's) version gives its trials new keys, so they run again instead
 * of returning numbers the old code made. `submit --rerun` adds a nonce for
 * fresh keys on demand. (node:crypto: for the CLI and activities, not for workflow code.)
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

export interface TrialIdentity {
  readonly family: string;
  /** 'train@1 training@2': the family's version and its shared code's (experiments/family.ts). */
  readonly codeVersion: string;
  /** The fully-defaulted output of the family schema. */
  readonly params: TrialParams;
  readonly seed: number;
  /** The nonce of a `submit --rerun`, else null (then left out of the hash). */
  readonly rerun?: string | null;
}

export function trialKey({ family, codeVersion, params, seed, rerun }: TrialIdentity): string {
  return sha256Hex(canonicalJson({ family, codeVersion, params, seed, ...(rerun ? { rerun } : {}) }));
}

/** Hash of a resolved sweep (see resolve.ts for what it covers): half of the workflow id. */
export function specHash(resolvedDefinition: unknown): string {
  return sha256Hex(canonicalJson(resolvedDefinition));
}
