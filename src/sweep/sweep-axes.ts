/**
 * What varies across a sweep's trials: its axes, in the order the sweep file
 * writes them (a zip's parameters in its own order). Read from the resolved
 * definition alone, so `sweep trials` can name them from the stored spec
 * without loading every trial. A list of one value, or a zip column that
 * repeats one value, is a constant and not an axis; a random parameter varies
 * when more than one sample is drawn.
 */
import { axisOf } from './expand';
import type { ResolvedSweepDefinition } from './loaded-sweep';
import type { ParamValue } from './trial';
import { isRandomSpec, type RandomSpec } from './value-specs';

export type SweepAxis =
  | { readonly name: string; readonly kind: 'grid'; readonly values: readonly ParamValue[] }
  | { readonly name: string; readonly kind: 'random'; readonly spec: RandomSpec; readonly samples: number };

export function sweepAxes(definition: Pick<ResolvedSweepDefinition, 'parameters' | 'samples'>): SweepAxis[] {
  const axes: SweepAxis[] = [];
  for (const [key, spec] of Object.entries(definition.parameters)) {
    if (isRandomSpec(spec)) {
      if (definition.samples > 1) axes.push({ name: key, kind: 'random', spec, samples: definition.samples });
      continue;
    }
    const points = axisOf(key, spec) ?? [];
    // A zip's points assign several parameters: each is an axis of its own when its values differ.
    const names = [...new Set(points.flatMap((point) => Object.keys(point)))];
    for (const name of names) {
      const values = distinct(points.map((point) => point[name] ?? null));
      if (values.length > 1) axes.push({ name, kind: 'grid', values });
    }
  }
  return axes;
}

/** The names of the parameters that vary, in the sweep file's order. */
export function varyingParameters(definition: Pick<ResolvedSweepDefinition, 'parameters' | 'samples'>): string[] {
  return sweepAxes(definition).map((axis) => axis.name);
}

function distinct(values: readonly ParamValue[]): ParamValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const id = JSON.stringify(value);
    return !seen.has(id) && seen.add(id);
  });
}
