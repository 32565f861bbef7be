/**
 * Every plot kind of every family compiles to Vega-Lite, renders to SVG with
 * its axis titles and one line (or bar group) per series, and rasterises to a
 * real PNG, for made-up aggregated points (no database).
 */
import { describe, expect, it } from 'vitest';
import type { PlotKind } from '../../src/experiments/charts/plot-kind';
import { families } from '../../src/experiments/registry';
import { PNG_SCALE, rasterisePng } from '../../src/results/plots/rasterise-png';
import { renderSvg } from '../../src/results/plots/render-svg';
import { decodePng, distinctColours, PNG_SIGNATURE } from '../support/png';
import { markCount, svgTexts } from '../support/svg-text';
import { grid, metricNames, syntheticPoints } from '../support/synthetic-plot-points';
import type { TrialParams } from '../../src/sweep/trial';

interface Fixture {
  configs: TrialParams[];
  /** The x of each point: steps, ε values, or [null] for one value per trial. */
  xs: (number | null)[];
  /** How many layers a `*` metric has. */
  layers?: number;
  axisTitles: string[];
  legendLabels: string[];
  /** Marks of a type the plot must draw, e.g. { line: 8 }. */
  marks: Record<string, number>;
}

const STRATEGIES = ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'];
const trainConfigs = grid({ arch: ['mlp', 'cnn'], learningRate: [1e-3, 3e-3] });
// Two configurations × training/test × loss/accuracy panels.
const trainingCurves = (configs: TrialParams[], labels: string[]): Fixture => ({
  configs,
  xs: [1, 2, 3, 4, 5],
  axisTitles: ['epoch', 'value'],
  legendLabels: [...labels, 'training', 'test'],
  marks: { line: configs.length * 2 * 2, area: configs.length * 2 * 2 },
});

const fixtures: Record<string, Fixture> = {
  'train/training-curves': trainingCurves(trainConfigs, ['mlp · 0.001', 'mlp · 0.003', 'cnn · 0.001', 'cnn · 0.003']),
  'transfer/training-curves': trainingCurves(grid({ strategy: ['ptu', 'fine-tune'] }), ['ptu', 'fine-tune']),
  'corruption/training-curves': trainingCurves(grid({ training: ['normal', 'resistant'] }), ['normal', 'resistant']),
  'regions/training-curves': trainingCurves(grid({ l1: [0, 1e-3] }), ['0', '0.001']),
  'orthonormal/training-curves': trainingCurves(grid({ method: ['none', 'aon'] }), ['none', 'aon']),
  'infoflow/training-curves': trainingCurves(grid({ beta: [0.01, 0.1] }), ['0.01', '0.1']),
  'infoflow/information-plane': {
    configs: grid({ beta: [0.01, 0.1], activation: ['tanh', 'relu'] }),
    xs: [1, 3, 10, 40],
    layers: 3,
    axisTitles: ['I(X;Tℓ) in nats (SP estimate)', 'same-class pairs closer than 2β'],
    legendLabels: ['layer 1', 'layer 2', 'layer 3', '1', '10'],
    // A path per layer in each of the 2 × 2 panels.
    marks: { line: 3 * 4 },
  },
  'infoflow/mi-over-training': {
    configs: grid({ beta: [0.01, 0.1], activation: ['tanh', 'relu'] }),
    xs: [1, 3, 10, 40],
    layers: 3,
    axisTitles: ['epoch', 'I(X;Tℓ) in nats (SP estimate)'],
    legendLabels: ['layer 1', 'layer 2', 'layer 3'],
    marks: { line: 3 * 4 },
  },
  'corruption/loss-increase': {
    configs: grid({ target: ['all', 'dense0'], training: ['normal', 'resistant'], norm: ['L2', 'Linf'] }),
    xs: [0.01, 0.1, 1],
    axisTitles: ['ε (corruption norm bound)', 'loss increase'],
    legendLabels: ['gradient-based', 'random', 'normal', 'resistant'],
    // gradient/random × normal/resistant in each of the 2 × 2 panels.
    marks: { line: 4 * 4 },
  },
  'regions/stable-units': {
    configs: grid({ width: [10, 25], l1: [0, 1e-4, 1e-3] }),
    xs: [null],
    layers: 2,
    axisTitles: ['l1 penalty λ', 'count'],
    legendLabels: ['inactive, layer 1', 'inactive, layer 2', 'active, layer 1', 'active, layer 2', 'linear regions'],
    // Per width: 4 stable-unit lines and 1 regions line.
    marks: { line: 2 * 5 },
  },
  'transfer/accuracy': {
    configs: grid({ arch: ['mlp', 'cnn'], strategy: STRATEGIES, pair: ['mnist->mnist-rot30', 'mnist->fashion'] }),
    xs: [null],
    axisTitles: ['strategy', 'target test accuracy'],
    legendLabels: ['mnist->mnist-rot30', 'mnist->fashion'],
    marks: { rect: 2 },
  },
  'orthonormal/orthogonality-error': {
    configs: grid({ method: ['none', 'aon'], arch: ['mlp', 'cnn'] }),
    xs: [1, 2, 3, 4, 5],
    axisTitles: ['epoch', 'orthogonality error (mean over layers)'],
    legendLabels: ['none', 'aon'],
    marks: { line: 2 * 2 },
  },
};

const kinds: [string, PlotKind][] = Object.entries(families).flatMap(([family, definition]) =>
  ((definition as { plots?: readonly PlotKind[] }).plots ?? []).map((kind) => [`${family}/${kind.name}`, kind] as [string, PlotKind]),
);

describe('plot kinds', () => {
  it('every family that trains a network has kinds, each with a fixture here and a unique name', () => {
    expect(kinds.map(([id]) => id).sort()).toEqual(Object.keys(fixtures).sort());
    for (const definition of Object.values(families)) {
      const names = ((definition as { plots?: readonly PlotKind[] }).plots ?? []).map((k) => k.name);
      expect(new Set(names).size).toBe(names.length);
      names.forEach((name) => expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/));
    }
  });

  it.each(kinds)('%s renders an SVG with its axes and series, and a non-blank PNG', async (id, kind) => {
    const fixture = fixtures[id]!;
    const points = syntheticPoints(fixture.configs, metricNames(kind.source, fixture.layers ?? 2), fixture.xs);
    const svg = await renderSvg(kind.chart(points));

    expect(svg.startsWith('<svg')).toBe(true);
    expect(svgTexts(svg, 'title-text').join(' ')).not.toBe('');
    expect(svgTexts(svg, 'title-subtitle').join(' ')).toContain('mean ± 1 std over seeds (n = 3 per point)');
    const axisTitles = new Set(svgTexts(svg, 'axis-title'));
    for (const title of fixture.axisTitles) expect([...axisTitles], id).toContain(title);
    const legend = svgTexts(svg, 'legend-label');
    for (const label of fixture.legendLabels) expect(legend, id).toContain(label);
    for (const [type, count] of Object.entries(fixture.marks)) expect(markCount(svg, type), `${id}: ${type} marks`).toBe(count);

    const png = rasterisePng(svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const image = decodePng(png);
    const [, width, height] = svg.match(/^<svg[^>]* width="(\d+)" height="(\d+)"/)!.map(Number);
    expect(image.width).toBe(width! * PNG_SCALE);
    expect(image.height).toBe(height! * PNG_SCALE);
    // Lines, bands, text in several colours on white: far from a blank or one-colour image.
    expect(distinctColours(image)).toBeGreaterThan(50);
  });
});
