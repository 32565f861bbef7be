/**
 * How a sweep reads to a person in the Temporal web UI: its workflow's static
 * summary (`ptu-grid · transfer · preset smoke · 30 trials: pair × arch × width × strategy`),
 * static details (markdown), and the memo the submitter attaches (family,
 * preset, total, seeds and each axis's values, as text).
 */
import type { LoadedSweep } from './loaded-sweep';
import { sweepAxes, type SweepAxis } from './sweep-axes';
import { clampJsonBytes, formatNumber, MAX_DETAILS_JSON_BYTES, MAX_SUMMARY_JSON_BYTES } from './trial-summary';
import type { ParamValue } from './trial';

/** Values of an axis listed in full up to this many; beyond, the first ones and the count. */
const MAX_LISTED_VALUES = 20;

type SummarisedSweep = Pick<LoadedSweep, 'name' | 'family' | 'preset' | 'description' | 'definition'>;

export interface SweepMemo {
  readonly family: string;
  readonly preset: string | null;
  /** Trials in the sweep. */
  readonly total: number;
  readonly seeds: number;
  /** Parameter → its values (or how they are drawn), in the sweep file's order. */
  readonly axes: Readonly<Record<string, string>>;
}

export function sweepMemo(sweep: SummarisedSweep, total: number): SweepMemo {
  const axes = Object.fromEntries(sweepAxes(sweep.definition).map((axis) => [axis.name, describeAxis(axis)]));
  return { family: sweep.family, preset: sweep.preset, total, seeds: sweep.definition.seeds.length, axes };
}

export function sweepSummary(sweep: SummarisedSweep, total: number): string {
  const names = sweepAxes(sweep.definition).map((axis) => axis.name);
  const seeds = sweep.definition.seeds.length;
  const shape = [...names, `${seeds} seed${seeds === 1 ? '' : 's'}`].join(' × ');
  const parts = [sweep.name, sweep.family, sweep.preset ? `preset ${sweep.preset}` : null, `${total} trials: ${shape}`];
  return clampJsonBytes(parts.filter(Boolean).join(' · '), MAX_SUMMARY_JSON_BYTES);
}

export function sweepDetails(sweep: SummarisedSweep, total: number): string {
  const { definition } = sweep;
  const axes = sweepAxes(definition);
  const lines = [
    `**${sweep.name}** (${sweep.family}${sweep.preset ? `, preset ${sweep.preset}` : ''})${sweep.description ? `: ${sweep.description}` : ''}`,
    '',
    `${total} trials; seeds ${listValues(definition.seeds)}; code \`${definition.codeVersion}\`; task queue \`${definition.execution.taskQueue}\``,
    '',
    axes.length > 0 ? '**Axes**' : 'No parameter varies.',
    '',
    ...axes.map((axis) => `- ${axis.name}: ${describeAxis(axis)}`),
  ];
  return clampJsonBytes(lines.join('\n'), MAX_DETAILS_JSON_BYTES);
}

function describeAxis(axis: SweepAxis): string {
  if (axis.kind === 'random') {
    const { spec } = axis;
    const drawn = spec.kind === 'choice' ? `choice(${spec.values.map(describeValue).join(', ')})` : `${spec.kind}(${formatNumber(spec.min)}, ${formatNumber(spec.max)})`;
    return `${drawn}, ${axis.samples} samples`;
  }
  return listValues(axis.values);
}

function listValues(values: readonly ParamValue[]): string {
  const listed = values.slice(0, MAX_LISTED_VALUES).map(describeValue).join(', ');
  return values.length > MAX_LISTED_VALUES ? `${listed}, … (${values.length} values)` : listed;
}

function describeValue(value: ParamValue): string {
  return typeof value === 'number' ? formatNumber(value) : typeof value === 'string' ? value : JSON.stringify(value);
}
