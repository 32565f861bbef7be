/**
 * Which parameters a corruption touches: 'all', a layer ('dense0': every
 * parameter named 'dense0/…') or one parameter ('dense0/kernel'). Names are
 * the model's own (models/*.ts), so they depend on the architecture and are
 * checked here, at run time, with the known names in the error.
 */
import { TrialInputError } from '../errors';
import type { Model, ModelParam } from '../models/model';

/** Layer names of a model, in order: the part of each parameter name before '/'. */
export function layerNames(model: Model): string[] {
  return [...new Set(model.params.map((p) => p.name.split('/')[0]!))];
}

export function targetParams(model: Model, target: string): ModelParam[] {
  if (target === 'all') return [...model.params];
  const selected = target.includes('/')
    ? model.params.filter((p) => p.name === target)
    : model.params.filter((p) => p.name.split('/')[0] === target);
  if (selected.length === 0) {
    throw new TrialInputError(
      `target '${target}' names nothing in the ${model.arch}: use 'all', a layer (${layerNames(model).join(', ')}) ` +
        `or a parameter (${model.params.map((p) => p.name).join(', ')})`,
    );
  }
  return selected;
}
