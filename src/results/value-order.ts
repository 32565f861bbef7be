/**
 * Rows, columns and table groups in the order the sweep file wrote their values
 * (strategies target-only, fine-tune, share-k, …, not alphabetically): read
 * from the submitted spec stored with the sweep (its `parameters`, a preset
 * already merged in). Values the spec does not list (random draws, per-step
 * axes such as eps, a spec from an older format) follow in natural order.
 */
import { rangeValues } from '../sweep/range';
import type { ParamValue } from '../sweep/trial';
import { compareTuples } from './aggregate';

/** Per parameter, its values as written (first occurrence of each). */
export type ValueOrder = ReadonlyMap<string, readonly ParamValue[]>;

const valueId = (v: ParamValue) => JSON.stringify(v);

function isParamValue(v: unknown): v is ParamValue {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function distinct(values: readonly unknown[]): ParamValue[] {
  const seen = new Set<string>();
  return values.filter(isParamValue).filter((v) => !seen.has(valueId(v)) && seen.add(valueId(v)));
}

/** What one `parameters` entry of a stored spec lists, per trial parameter; `varies` when it can take more than one value. */
function entryValues(key: string, spec: unknown): { key: string; values: ParamValue[]; varies: boolean }[] {
  if (isParamValue(spec)) return [{ key, values: [spec], varies: false }];
  if (Array.isArray(spec)) {
    const values = distinct(spec);
    return [{ key, values, varies: values.length > 1 }];
  }
  if (typeof spec !== 'object' || spec === null) return [];
  const tagged = spec as { kind?: unknown; values?: unknown; axes?: unknown };
  switch (tagged.kind) {
    case 'grid':
    case 'choice': {
      const values = Array.isArray(tagged.values) ? distinct(tagged.values) : [];
      return [{ key, values, varies: values.length > 1 }];
    }
    case 'range': {
      try {
        const values = rangeValues(spec as Parameters<typeof rangeValues>[0]);
        return [{ key, values, varies: values.length > 1 }];
      } catch {
        return [{ key, values: [], varies: true }];
      }
    }
    case 'zip': {
      const axes = typeof tagged.axes === 'object' && tagged.axes !== null ? Object.entries(tagged.axes) : [];
      return axes.map(([axis, list]) => {
        const values = Array.isArray(list) ? distinct(list) : [];
        return { key: axis, values, varies: values.length > 1 };
      });
    }
    default:
      // uniform, logUniform, intUniform: drawn values, no written order.
      return [{ key, values: [], varies: true }];
  }
}

function parametersOf(spec: unknown): [string, unknown][] {
  if (typeof spec !== 'object' || spec === null) return [];
  const parameters = (spec as { parameters?: unknown }).parameters;
  return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? Object.entries(parameters) : [];
}

/** The written order of every parameter the spec lists. */
export function valueOrderOf(spec: unknown): Map<string, ParamValue[]> {
  const order = new Map<string, ParamValue[]>();
  for (const [key, entry] of parametersOf(spec)) {
    for (const { key: name, values } of entryValues(key, entry)) order.set(name, values);
  }
  return order;
}

/** Parameters the spec varies (a list of several values, a range, a random draw): the ones a cell could pool. */
export function varyingParametersOf(spec: unknown): string[] {
  return parametersOf(spec).flatMap(([key, entry]) => entryValues(key, entry).filter((e) => e.varies).map((e) => e.key));
}

/** Orders tuples of `keys` by each key's written order, then naturally (compareTuples) where the order says nothing. */
export function tupleComparator(keys: readonly string[], order: ValueOrder): (a: readonly ParamValue[], b: readonly ParamValue[]) => number {
  const ranks = keys.map((key) => new Map((order.get(key) ?? []).map((v, i) => [valueId(v), i])));
  return (a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const va = a[i] ?? null;
      const vb = b[i] ?? null;
      const ra = ranks[i]!.get(valueId(va));
      const rb = ranks[i]!.get(valueId(vb));
      if (ra !== undefined && rb !== undefined) {
        if (ra !== rb) return ra - rb;
        continue;
      }
      if (ra !== undefined) return -1; // written values first
      if (rb !== undefined) return 1;
      const c = compareTuples([va], [vb]);
      if (c !== 0) return c;
    }
    return 0;
  };
}
