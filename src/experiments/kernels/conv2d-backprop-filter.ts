/**
 * The wasm backend of tfjs 4.22 has no `Conv2DBackpropFilter` kernel, so any
 * CNN fails on its first training step there. This registers one.
 *
 * The filter gradient is itself a convolution. With x of shape [B, H, W, C],
 * dy of shape [B, OH, OW, O], strides (sh, sw) and padding (top, left):
 *
 *   dW[i, j, c, o] = Σ_b Σ_y Σ_x  xpad[b, y·sh + i, x·sw + j, c] · dy[b, y, x, o]
 *
 * Swapping the roles of batch and channels makes it a forward conv: take
 * xᵀ = x transposed to [C, H, W, B] as the input, dyᵀ = dy transposed to
 * [OH, OW, B, O] as the filter, stride 1 and dilation (sh, sw), and the same
 * top/left padding; output [C, ≥fh, ≥fw, O], cropped to [C, fh, fw, O] and
 * transposed to [fh, fw, C, O]. The wasm backend's own Conv2D (XNNPACK) does
 * the arithmetic, so it runs at that kernel's speed; OFFLINE.md measured CNN
 * training on wasm at ~10× the pure-JS backend with it.
 *
 * Supported: NHWC, any strides, 'same' / 'valid' / explicit / numeric padding.
 * (The op itself only uses dilations = 1 for the filter gradient.)
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** Calls another kernel of the same backend directly: no engine bookkeeping, plain TensorInfos. */
function callKernel(
  name: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`Conv2DBackpropFilter replacement needs kernel '${name}' on backend '${backendName}'`);
  const out = kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  if (Array.isArray(out)) throw new Error(`kernel '${name}' returned ${out.length} outputs, expected 1`);
  return out as TensorInfo;
}

/** The kernel function, for any backend that has Transpose, Conv2D (with dilations) and Slice. */
export function conv2DBackpropFilterViaConv(backendName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const kernelBackend = backend as tf.KernelBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (dataFormat !== undefined && dataFormat !== 'NHWC') {
      throw new Error(`Conv2DBackpropFilter replacement supports NHWC only, got ${dataFormat}`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, inHeight, inWidth, outHeight, outWidth, padInfo } = info;
    if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth) {
      throw new Error(`Conv2DBackpropFilter: dy shape [${dy.shape}] does not match conv output ${outHeight}×${outWidth}`);
    }

    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => (temporaries.push(t), t);
    try {
      const xT = keep(callKernel('Transpose', backendName, kernelBackend, { x }, { perm: [3, 1, 2, 0] }));
      const dyT = keep(callKernel('Transpose', backendName, kernelBackend, { x: dy }, { perm: [1, 2, 0, 3] }));
      // Pad the far edges only as much as the cropped result needs; extra rows are cropped below.
      const bottom = Math.max(0, filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top);
      const right = Math.max(0, filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left);
      const full = keep(
        callKernel('Conv2D', backendName, kernelBackend, { x: xT, filter: dyT }, {
          strides: [1, 1],
          pad: [[0, 0], [padInfo.top, bottom], [padInfo.left, right], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [strideHeight, strideWidth],
          dimRoundingMode: undefined,
        }),
      );
      const [channels, fullHeight, fullWidth, outChannels] = full.shape as [number, number, number, number];
      let cropped = full;
      if (fullHeight !== filterHeight || fullWidth !== filterWidth) {
        cropped = keep(
          callKernel('Slice', backendName, kernelBackend, { x: full }, {
            begin: [0, 0, 0, 0],
            size: [channels, filterHeight, filterWidth, outChannels],
          }),
        );
      }
      return callKernel('Transpose', backendName, kernelBackend, { x: cropped }, { perm: [1, 2, 0, 3] });
    } finally {
      for (const t of temporaries) kernelBackend.disposeData(t.dataId);
    }
  };
}

/**
 * Registers the replacement for the wasm backend, unless one is already
 * registered (idempotent; a future tfjs with its own kernel keeps it).
 */
export function registerWasmConv2DBackpropFilter(): void {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) return;
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilterViaConv('wasm'),
  });
}
