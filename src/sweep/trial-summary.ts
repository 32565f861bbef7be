/**
 * How a trial reads to a person: one line naming what sets it apart in its
 * sweep (`transfer · mnist->mnist-rot30 · cnn · width=4 · ptu · seed 1`), and a
 * markdown block with everything (its key and every parameter). The sweep
 * workflow gives them to each trial workflow as its static summary and details
 * (what the Temporal web UI shows for it), the trial workflow to its runTrial
 * activity; `sweep trials` prints the same values.
 *
 * Pure and free of imports: workflow code calls it, so it must be deterministic
 * and must not pull Node modules into the workflow bundle.
 */
import type { ParamValue, TrialParams } from './trial';

/**
 * The server refuses user metadata whose serialized payload exceeds 400 bytes
 * (summary) or 20,000 bytes (details) by default; a refused command fails the
 * workflow task and would wedge the sweep, so the texts are clamped well below.
 */
export const MAX_SUMMARY_JSON_BYTES = 300;
export const MAX_DETAILS_JSON_BYTES = 16_000;

/** A parameter's value as a short token: strings as written, anything else as name=value. */
export function formatParameter(name: string, value: ParamValue): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return `${name}=${formatNumber(value)}`;
  return `${name}=${JSON.stringify(value)}`;
}

/** Integers in full, other numbers to 4 significant digits (a random draw of a learning rate is 0.0003162, not 0.00031622776601683794). */
export function formatNumber(value: number): string {
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/** The values of the `varying` parameters, in that order, joined with ' · '; names missing from `params` are left out. */
export function describeParameters(params: TrialParams, varying: readonly string[]): string {
  return varying
    .filter((name) => Object.hasOwn(params, name))
    .map((name) => formatParameter(name, params[name]!))
    .join(' · ');
}

export interface SummarisedTrial {
  readonly family: string;
  readonly params: TrialParams;
  readonly seed: number;
}

/** `family · <varying values> · seed N`, clamped to what the server accepts as a summary. */
export function trialSummary(trial: SummarisedTrial, varying: readonly string[]): string {
  const values = describeParameters(trial.params, varying);
  return clampJsonBytes([trial.family, values, `seed ${trial.seed}`].filter(Boolean).join(' · '), MAX_SUMMARY_JSON_BYTES);
}

export interface DetailedTrial extends SummarisedTrial {
  readonly key: string;
  readonly index: number;
  readonly codeVersion: string;
}

/** Markdown: the trial's place in its sweep, key, seed, code version and every parameter, clamped to what the server accepts. */
export function trialDetails(trial: DetailedTrial, sweepName: string): string {
  const lines = [
    `**Trial ${trial.index}** of sweep \`${sweepName}\``,
    '',
    `- key: \`${trial.key}\``,
    `- seed: ${trial.seed}`,
    `- code: \`${trial.codeVersion}\``,
    '',
    '**Parameters**',
    '',
    ...Object.entries(trial.params).map(([name, value]) => `- ${name}: \`${JSON.stringify(value)}\``),
  ];
  return clampJsonBytes(lines.join('\n'), MAX_DETAILS_JSON_BYTES);
}

/**
 * Cuts `text` (at a code point, marking the cut with '…') so that its JSON
 * encoding, the form the payload carries, is at most `maxBytes` of UTF-8.
 */
export function clampJsonBytes(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) return text;
  const ellipsis = '…';
  // The quotes and the ellipsis, then as many characters as fit.
  let used = jsonBytes(ellipsis);
  let out = '';
  for (const char of text) {
    const cost = jsonBytes(char) - 2;
    if (used + cost > maxBytes) break;
    used += cost;
    out += char;
  }
  return out + ellipsis;
}

/** UTF-8 length of JSON.stringify(text), computed without Node's Buffer (unavailable in workflow code). */
function jsonBytes(text: string): number {
  let bytes = 0;
  for (const char of JSON.stringify(text)) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
