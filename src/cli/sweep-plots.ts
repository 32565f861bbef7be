/**
 * A family's plot kinds drawn for one sweep: the aggregates from Postgres
 * (db/plot-query.ts), the kind's Vega-Lite chart of them (experiments/<family>/plots.ts),
 * rendered to SVG (results/plots). Shared by `sweep plot` and `sweep report`.
 */
import type { PrismaClient } from '../db/client';
import { plotPoints } from '../db/plot-query';
import type { PlotKind } from '../experiments/charts/plot-kind';
import { getFamily } from '../experiments/registry';
import { renderSvg } from '../results/plots/render-svg';
import { UsageError } from './usage-error';

export function plotKindsOf(family: string): readonly PlotKind[] {
  return getFamily(family).plots ?? [];
}

/** `--kind`'s value checked against the family's kinds; an unknown one is a usage error that lists them. */
export function chosenPlotKinds(command: string, family: string, kind: string | undefined): readonly PlotKind[] {
  const kinds = plotKindsOf(family);
  if (kinds.length === 0) throw new UsageError(`sweep ${command}: the ${family} family has no plot kinds`);
  if (kind === undefined) return kinds;
  const found = kinds.find((k) => k.name === kind);
  if (!found) {
    const list = kinds.map((k) => `  ${k.name.padEnd(22)} ${k.description}`).join('\n');
    throw new UsageError(`sweep ${command}: --kind '${kind}' is not a plot kind of the ${family} family; its kinds:\n${list}`);
  }
  return [found];
}

/** The plot's SVG, or null when no finished trial of the sweep reports what it draws. */
export async function sweepPlotSvg(prisma: PrismaClient, sweepId: string, kind: PlotKind): Promise<string | null> {
  const points = await plotPoints(prisma, sweepId, kind.source);
  return points.length === 0 ? null : renderSvg(kind.chart(points));
}

/** Why a kind was not drawn: no finished trial reports what it reads. */
export function noDataReason(sweepId: string, kind: PlotKind): string {
  const { source } = kind;
  return `no finished trial of ${sweepId} reports ${source.metrics.join(', ')}${source.from === 'steps' && source.x ? ` with ${source.x}` : ''}`;
}
