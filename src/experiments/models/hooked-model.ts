/**
 * A model whose every pass runs with hooks of its own (a normalisation of the
 * weights, noise after each layer…), composed with the hooks a caller gives
 * `forward`: ours act first and theirs see what ours made, so a read-out
 * through a normalised or noisy model sees the weights and outputs the layers use.
 */
import type { ForwardHooks } from './hooks';
import type { Model } from './model';

/** ours then theirs: a weight or an output passes through both; both read the pre-activations. */
export function composeHooks(ours: ForwardHooks, theirs?: ForwardHooks): ForwardHooks {
  if (!theirs) return ours;
  const weight = ours.weight && theirs.weight
    ? (...[layer, param, value]: Parameters<NonNullable<ForwardHooks['weight']>>) => theirs.weight!(layer, param, ours.weight!(layer, param, value))
    : (ours.weight ?? theirs.weight)?.bind(ours.weight ? ours : theirs);
  const output = ours.output && theirs.output
    ? (...[layer, h]: Parameters<NonNullable<ForwardHooks['output']>>) => theirs.output!(layer, ours.output!(layer, h))
    : (ours.output ?? theirs.output)?.bind(ours.output ? ours : theirs);
  const preActivation = ours.preActivation && theirs.preActivation
    ? (...[layer, z]: Parameters<NonNullable<ForwardHooks['preActivation']>>) => {
        ours.preActivation!(layer, z);
        theirs.preActivation!(layer, z);
      }
    : (ours.preActivation ?? theirs.preActivation)?.bind(ours.preActivation ? ours : theirs);
  return { weight, output, preActivation };
}

/** `inner` with `ours` on every pass; same parameters, and disposing it disposes `inner`. */
export function hookedModel(inner: Model, ours: ForwardHooks): Model {
  return {
    arch: inner.arch,
    architecture: inner.architecture,
    numClasses: inner.numClasses,
    inputSize: inner.inputSize,
    params: inner.params,
    apply: (x) => inner.forward(x, ours).logits,
    forward: (x, hooks) => inner.forward(x, composeHooks(ours, hooks)),
    dispose: () => inner.dispose(),
  };
}
