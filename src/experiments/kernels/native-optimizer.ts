/**
 * The four optimizers of the training loop as TensorFlow's own fused training
 * kernels, on the native backend: one ResourceApply{GradientDescent, Momentum,
 * Adam, RMSProp} call per variable and step, where tfjs's optimizers (and
 * training.ts's LeanAdam) run 3 to 10 elementwise kernels per variable, each a
 * call into the binding and a full pass over the weights in a fresh buffer.
 * TensorFlow's kernels update in place, in one multithreaded pass. On the MLP
 * of bench/backends.ts that was a quarter of a step.
 *
 * Each tfjs variable gets a TensorFlow resource variable that shares its
 * buffer; the update copies it first (TensorFlow copies a shared buffer before
 * an in-place update), then the tfjs variable is pointed at the result. A
 * variable assigned from outside between steps (corruption-resistant training's
 * move and undo, infoflow's orthonormality step, a weight reload) is seen by
 * its changed tensor and handed to TensorFlow again, so the update always
 * starts from the tfjs variable's current value.
 *
 * The update rules are tfjs's (tf.train.sgd / momentum / adam / rmsprop with
 * their defaults), written as TensorFlow's kernels compute them:
 *   sgd       w ← w − α·g
 *   momentum  a ← μ·a + g,  w ← w − α·a
 *   adam      m ← m + (1−β1)(g − m),  v ← v + (1−β2)(g² − v),
 *             w ← w − α_t·m/(√v + ε_t),  α_t = α·√(1−β2^t)/(1−β1^t)
 *   rmsprop   s ← s + (1−ρ)(g² − s),  p ← μ·p + α·g/√(s + ε),  w ← w − p
 * tfjs's Adam divides by √v̂ + ε with the bias-corrected v̂ = v/(1−β2^t);
 * TensorFlow's by √v + ε: passing ε_t = ε·√(1−β2^t) makes them the same in
 * real arithmetic, so the two differ by float rounding only (tested).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../optimizer-names';
import { nativeOps, type NativeOps } from './native-ops';

interface Rule {
  /** The TensorFlow training op. */
  readonly op: string;
  /** Slot variables per weight (moments, accumulators), zero at the start. */
  readonly slots: number;
  /** Scalars uploaded once, by name. */
  readonly constants: Record<string, number>;
  /** The op's inputs in order: the weight, its slots, scalars by name ('t:…' per step), the gradient. */
  inputs(weight: tf.Tensor, slots: tf.Tensor[], scalar: (name: string) => tf.Tensor, gradient: tf.Tensor): tf.Tensor[];
  /** Scalars that change with the step count t (1-based). */
  perStep?(t: number): Record<string, number>;
  readonly attrs?: Record<string, boolean>;
}

export interface NativeOptimizerSettings {
  readonly learningRate: number;
  /** momentum's μ (and rmsprop's, default 0). */
  readonly momentum?: number;
  /** adam's β1, β2; rmsprop's ρ (decay). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly rho?: number;
  /** Default: the backend's epsilon (1e-7 in float32), as tfjs's optimizers. */
  readonly epsilon?: number;
}

function ruleOf(name: OptimizerName, s: NativeOptimizerSettings, epsilon: number): Rule {
  const noLocking = { use_locking: false, use_nesterov: false };
  switch (name) {
    case 'sgd':
      return { op: 'ResourceApplyGradientDescent', slots: 0, constants: { lr: s.learningRate }, inputs: (w, _, c, g) => [w, c('lr'), g] };
    case 'momentum':
      return {
        op: 'ResourceApplyMomentum',
        slots: 1,
        constants: { lr: s.learningRate, momentum: s.momentum ?? 0.9 },
        inputs: (w, [a], c, g) => [w, a!, c('lr'), g, c('momentum')],
        attrs: noLocking,
      };
    case 'adam': {
      const beta1 = s.beta1 ?? 0.9;
      const beta2 = s.beta2 ?? 0.999;
      return {
        op: 'ResourceApplyAdam',
        slots: 2,
        constants: { lr: s.learningRate, beta1, beta2 },
        perStep: (t) => ({ beta1Power: beta1 ** t, beta2Power: beta2 ** t, epsilon: epsilon * Math.sqrt(1 - beta2 ** t) }),
        inputs: (w, [m, v], c, g) => [w, m!, v!, c('t:beta1Power'), c('t:beta2Power'), c('lr'), c('beta1'), c('beta2'), c('t:epsilon'), g],
        attrs: noLocking,
      };
    }
    case 'rmsprop':
      return {
        op: 'ResourceApplyRMSProp',
        slots: 2,
        constants: { lr: s.learningRate, rho: s.rho ?? 0.9, momentum: s.momentum ?? 0, epsilon },
        inputs: (w, [ms, mom], c, g) => [w, ms!, mom!, c('lr'), c('rho'), c('momentum'), c('epsilon'), g],
        attrs: { use_locking: false },
      };
  }
}

interface WeightState {
  readonly handle: tf.Tensor;
  readonly slots: tf.Tensor[];
  /** The tfjs tensor the resource variable last held: when the tfjs variable still holds it, no re-assignment is needed. */
  lastDataId: object;
}

export class NativeOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'NativeOptimizer';
  }

  private readonly ops: NativeOps;
  private readonly rule: Rule;
  private readonly weights = new Map<string, WeightState>();
  private readonly constants = new Map<string, tf.Scalar>();

  constructor(
    readonly optimizer: OptimizerName,
    private readonly settings: NativeOptimizerSettings,
  ) {
    super();
    const ops = nativeOps();
    if (!ops) throw new Error(`NativeOptimizer needs the native TensorFlow backend, not '${tf.getBackend()}'`);
    this.ops = ops;
    this.rule = ruleOf(optimizer, settings, settings.epsilon ?? tf.backend().epsilon());
  }

  /** Whether the native optimizers can run in this process's current backend. */
  static available(): boolean {
    return nativeOps() !== undefined;
  }

  override applyGradients(variableGradients: Parameters<tf.Optimizer['applyGradients']>[0]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    if (this.constants.size === 0) {
      for (const [name, value] of Object.entries(this.rule.constants)) this.constants.set(name, tf.keep(tf.scalar(value)));
    }
    tf.tidy(() => {
      const perStep = new Map(Object.entries(this.rule.perStep?.(t) ?? {}).map(([name, value]) => [`t:${name}`, tf.scalar(value)]));
      const scalar = (name: string): tf.Tensor => (perStep.get(name) ?? this.constants.get(name))!;
      for (const [name, gradient] of entries) {
        if (gradient == null) continue;
        const variable = tf.engine().registeredVariables[name]!;
        let state = this.weights.get(name);
        if (!state) {
          // Kept past this step's tidy; freed (and TensorFlow's variables with them) by dispose().
          state = {
            handle: tf.keep(this.ops.variable(variable)),
            slots: Array.from({ length: this.rule.slots }, () => tf.keep(this.ops.variable(tf.zerosLike(variable)))),
            lastDataId: variable.dataId,
          };
          this.weights.set(name, state);
        } else if (state.lastDataId !== variable.dataId) {
          this.ops.assign(state.handle, variable);
        }
        this.ops.runMany(this.rule.op, this.rule.inputs(state.handle, state.slots, scalar, gradient), 0, this.rule.attrs);
        variable.assign(this.ops.read(state.handle));
        state.lastDataId = variable.dataId;
      }
    });
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { handle, slots } of this.weights.values()) tf.dispose([handle, ...slots]);
    this.weights.clear();
    tf.dispose([...this.constants.values()]);
    this.constants.clear();
  }

  /** The slot variables under tfjs's names (adam: m, v; momentum: the accumulator; rmsprop: ms, mom). */
  override async getWeights(): ReturnType<tf.Optimizer['getWeights']> {
    const slotNames: Record<OptimizerName, string[]> = { sgd: [], momentum: ['momentum'], adam: ['m', 'v'], rmsprop: ['rms', 'momentum'] };
    const slots = [...this.weights].flatMap(([name, { slots }]) =>
      slots.map((handle, i) => ({ name: `${name}/${slotNames[this.optimizer][i]}`, tensor: this.ops.read(handle) })),
    );
    return [await this.saveIterations(), ...slots];
  }

  getConfig(): tf.serialization.ConfigDict {
    return { optimizer: this.optimizer, ...this.settings };
  }
}
