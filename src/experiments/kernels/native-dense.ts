/**
 * A dense layer, f(x·W + b), and the mean softmax cross-entropy as single
 * tfjs kernels on the native backend, each run as TensorFlow's own ops
 * (MatMul, BiasAdd, Relu/Tanh/Sigmoid; SoftmaxCrossEntropyWithLogits) with
 * gradients written with TensorFlow's gradient ops (ReluGrad/TanhGrad/
 * SigmoidGrad, BiasAddGrad).
 *
 * Why: composed from tfjs ops, a ReLU dense layer costs about 13 kernels
 * forward and backward (the matmul, a broadcasting add and its gradient's
 * sum and reshapes, the ReLU and its two-kernel gradient, the engine's copies
 * of saved inputs) and the cross-entropy about 15, each a call into the
 * binding plus tfjs's own bookkeeping; here a layer is 6 and the loss 4. The
 * gradient is registered per input, so the tape only computes the ones it
 * needs: no x-gradient for the input layer (a 784-wide matmul on the MLP).
 * Measured on the MLP of bench/backends.ts: see bench/README.md.
 *
 * The values are those of the composed ops up to float rounding (tested in
 * test/numerical/training-kernels.test.ts); other backends keep the composed
 * ops (models/dense.ts, training.ts decide with `nativeKernels()`).
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../models/activation';
import { nativeOps } from './native-ops';

const DENSE = 'SweepDense';
const CROSS_ENTROPY = 'SweepSoftmaxCrossEntropy';

export type DenseActivation = Activation | 'linear';

/** TensorFlow's forward op and gradient op of each activation (gradient inputs: ReluGrad(dy, y); TanhGrad, SigmoidGrad(y, dy)). */
const ACTIVATION_OPS: Record<Activation, { forward: string; gradient: string; dyFirst: boolean }> = {
  relu: { forward: 'Relu', gradient: 'ReluGrad', dyFirst: true },
  tanh: { forward: 'Tanh', gradient: 'TanhGrad', dyFirst: false },
  sigmoid: { forward: 'Sigmoid', gradient: 'SigmoidGrad', dyFirst: false },
};

function ops() {
  const native = nativeOps();
  if (!native) throw new Error(`${DENSE}/${CROSS_ENTROPY} run on the native TensorFlow backend only, not '${tf.getBackend()}'`);
  return native;
}

tf.registerKernel({
  kernelName: DENSE,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, attrs }) => {
    const { x, kernel, bias } = inputs as unknown as { x: tf.Tensor; kernel: tf.Tensor; bias: tf.Tensor };
    const activation = (attrs as unknown as { activation: DenseActivation }).activation;
    const native = ops();
    const product = native.run('MatMul', [x, kernel]);
    const z = native.run('BiasAdd', [product, bias]);
    product.dispose();
    if (activation === 'linear') return z;
    const y = native.run(ACTIVATION_OPS[activation].forward, [z]);
    z.dispose();
    return y;
  },
});

tf.registerGradient({
  kernelName: DENSE,
  inputsToSave: ['x', 'kernel'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    const activation = (attrs as unknown as { activation: DenseActivation }).activation;
    const native = ops();
    const dyTensor = dy as tf.Tensor;
    let dz = dyTensor;
    if (activation !== 'linear') {
      const { gradient, dyFirst } = ACTIVATION_OPS[activation];
      dz = native.run(gradient, dyFirst ? [dyTensor, y] : [y, dyTensor]);
    }
    return {
      x: () => native.run('MatMul', [dz, kernel], { transpose_b: true }),
      kernel: () => native.run('MatMul', [x, dz], { transpose_a: true }),
      bias: () => native.run('BiasAddGrad', [dz]),
    };
  },
});

tf.registerKernel({
  kernelName: CROSS_ENTROPY,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs }) => {
    const { logits, labels } = inputs as unknown as { logits: tf.Tensor; labels: tf.Tensor };
    const native = ops();
    // Per example: the loss, and its gradient softmax(logits) − labels.
    const [perExample, backprop] = native.runMany('SoftmaxCrossEntropyWithLogits', [logits, labels], 2) as [tf.Tensor, tf.Tensor];
    const axis = tf.scalar(0, 'int32');
    const mean = native.run('Mean', [perExample, axis], { keep_dims: false, Tidx: 'int32' });
    tf.dispose([perExample, axis]);
    return [mean, backprop];
  },
});

tf.registerGradient({
  kernelName: CROSS_ENTROPY,
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const backprop = saved[0] as tf.Tensor;
    const native = ops();
    return {
      logits: () => {
        const scale = tf.scalar(1 / backprop.shape[0]!);
        const perExample = native.run('Mul', [dy, scale]);
        const gradient = native.run('Mul', [backprop, perExample]);
        tf.dispose([scale, perExample]);
        return gradient;
      },
      labels: () => {
        throw new Error('the cross-entropy has no gradient with respect to its labels (they are data)');
      },
    };
  },
});

/** Whether the fused kernels can run now (the native backend is selected). */
export function nativeKernels(): boolean {
  return tf.getBackend() === 'tensorflow';
}

/** f(x·W + b) as one kernel: x [n, in], kernel [in, out], bias [out]. Native backend only. */
export function denseKernel(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, activation: DenseActivation): tf.Tensor2D {
  return tf.engine().runKernel(DENSE, { x, kernel, bias }, { activation } as unknown as tf.NamedAttrMap) as tf.Tensor2D;
}

/** Mean softmax cross-entropy of logits [n, k] against one-hot labels [n, k], as one kernel. Native backend only. */
export function crossEntropyKernel(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  const [mean, backprop] = tf.engine().runKernel(CROSS_ENTROPY, { logits, labels }, {}) as tf.Tensor[];
  // The gradient keeps its own copy (the tape saves outputs it needs).
  backprop!.dispose();
  return mean as tf.Scalar;
}
