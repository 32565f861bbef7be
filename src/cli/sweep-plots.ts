/**
 * A family's plot kinds drawn for one sweep: the aggregates from Postgres
 * (db/plot-query.ts), the kind's Vega-Lite chart of them (experiments/<family>/plots.ts),
 * rendered to SVG and PNG (results/plots). Shared by `sweep plot` and `sweep report`.
 */
import type { PrismaClient } from '../db/client';
import { plotPoints } from '../db/plot-query';
import type { PlotKind } from '../experiments/charts/plot-kind';
import { getFamily } from '../experiments/registry';
import { rasterisePng } from '../results/plots/rasterise-png';
import { renderSvg } from '../results/plots/render-svg';
import { UsageError } from './usage-error';

export interface RenderedPlot {
  readonly kind: PlotKind;
  readonly svg: string;
  readonly png: Buffer;
}

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

/** The plot, or null when no finished trial of the sweep reports what it draws. */
export async function renderSweepPlot(prisma: PrismaClient, sweepId: string, kind: PlotKind): Promise<RenderedPlot | null> {
  const points = await plotPoints(prisma, sweepId, kind.source);
  if (points.length === 0) return null;
  const svg = await renderSvg(kind.chart(points));
  return { kind, svg, png: rasterisePng(svg) };
}

/** What a kind reads, for a message saying that no trial has it. */
export function sourceText(kind: PlotKind): string {
  const { source } = kind;
  return `${source.metrics.join(', ')}${source.from === 'steps' && source.x ? ` against ${source.x}` : ''}`;
}
