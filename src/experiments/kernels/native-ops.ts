/**
 * Raw TensorFlow ops through tfjs-node's binding, for the few places where one
 * fused TensorFlow kernel replaces many tfjs kernels (each a call into the
 * binding). Only on the native backend ('tensorflow': tfjs-node or
 * tfjs-node-gpu); `nativeOps()` is undefined on every other.
 *
 * The binding is tfjs-node's own (NodeJSKernelBackend.executeSingleOutput /
 * executeMultipleOutputs, as its TensorBoard summary writer uses them); its
 * attribute records are { name, type: TF_ATTR_*, value }.
 */
import * as tf from '@tensorflow/tfjs';

/** The binding constants used here (tfjs-node's `binding` object). */
interface Binding {
  readonly TF_ATTR_STRING: number;
  readonly TF_ATTR_TYPE: number;
  readonly TF_ATTR_SHAPE: number;
  readonly TF_ATTR_BOOL: number;
  readonly TF_FLOAT: number;
  readonly TF_INT32: number;
}

interface OpAttr {
  readonly name: string;
  readonly type: number;
  readonly value: unknown;
}

/** The parts of tfjs-node's NodeJSKernelBackend used here (not in tfjs-core's types). */
interface NodeKernelBackend {
  readonly binding: Binding;
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

/**
 * TensorFlow's ResourceHandle::ANONYMOUS_NAME: a VarHandleOp with this shared
 * name makes a variable owned by its handle, freed when the handle is
 * (disposing the handle tensor), as TF 2's eager variables are.
 */
const ANONYMOUS_NAME = 'cd2c89b7-88b7-44c8-ad83-06c2a9158347';

export interface NativeOps {
  /** A float32 TensorFlow resource variable holding a copy-on-write reference to `value`. */
  variable(value: tf.Tensor): tf.Tensor;
  /** Points the resource variable at `value` (no copy: an update copies first while the buffer is shared). */
  assign(handle: tf.Tensor, value: tf.Tensor): void;
  /** The variable's current value (shares its buffer until the next update copies it). */
  read(handle: tf.Tensor): tf.Tensor;
  /**
   * Runs a TensorFlow op whose type attribute T is float32 and returns its one
   * output. `attrs`: booleans (transpose_a…), or 'int32' for an index type (Tidx).
   */
  run(op: string, inputs: tf.Tensor[], attrs?: OpFlags): tf.Tensor;
  /** The same for an op with `outputs` outputs (0 for the ResourceApply* training ops). */
  runMany(op: string, inputs: tf.Tensor[], outputs: number, attrs?: OpFlags): tf.Tensor[];
}

export type OpFlags = Readonly<Record<string, boolean | 'int32'>>;

export function nativeOps(): NativeOps | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const backend = tf.backend() as unknown as NodeKernelBackend;
  const b = backend.binding;
  const float32: OpAttr = { name: 'dtype', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const typeT: OpAttr = { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const opAttrs = (flags: OpFlags = {}): OpAttr[] => [
    typeT,
    ...Object.entries(flags).map(([name, value]) =>
      value === 'int32' ? { name, type: b.TF_ATTR_TYPE, value: b.TF_INT32 } : { name, type: b.TF_ATTR_BOOL, value },
    ),
  ];
  return {
    variable(value) {
      const handle = backend.executeSingleOutput(
        'VarHandleOp',
        [
          { name: 'container', type: b.TF_ATTR_STRING, value: '' },
          { name: 'shared_name', type: b.TF_ATTR_STRING, value: ANONYMOUS_NAME },
          float32,
          { name: 'shape', type: b.TF_ATTR_SHAPE, value: value.shape },
        ],
        [],
      );
      this.assign(handle, value);
      return handle;
    },
    assign(handle, value) {
      backend.executeMultipleOutputs('AssignVariableOp', [float32], [handle, value], 0);
    },
    read(handle) {
      return backend.executeSingleOutput('ReadVariableOp', [float32], [handle]);
    },
    run(op, inputs, attrs) {
      return backend.executeSingleOutput(op, opAttrs(attrs), inputs);
    },
    runMany(op, inputs, outputs, attrs) {
      return backend.executeMultipleOutputs(op, opAttrs(attrs), inputs, outputs);
    },
  };
}
