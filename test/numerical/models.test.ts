import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/experiments/models/build';
import { parameterCount, type Arch } from '../../src/experiments/models/model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('buildModel', () => {
  const expected: Record<Arch, { width: number; parameters: number; hidden: number[][] }> = {
    // 784·8+8 + 8·8+8 + 8·10+10
    mlp: { width: 8, parameters: 784 * 8 + 8 + 8 * 8 + 8 + 8 * 10 + 10, hidden: [[3, 8], [3, 8]] },
    // conv 3·3·1·4+4, conv 3·3·4·8+8, dense 7·7·8·10+10
    cnn: { width: 4, parameters: 9 * 4 + 4 + 9 * 4 * 8 + 8 + 7 * 7 * 8 * 10 + 10, hidden: [[3, 14, 14, 4], [3, 7, 7, 8]] },
    // input 28·4H, recurrent H·4H, bias 4H, dense H·10+10
    lstm: { width: 6, parameters: 28 * 24 + 6 * 24 + 24 + 6 * 10 + 10, hidden: [[3, 6]] },
  };

  it.each(Object.keys(expected) as Arch[])('%s at its default depth: logits [n, 10], hidden shapes, parameter count', (arch) => {
    const { width, parameters, hidden } = expected[arch];
    const model = buildModel(arch, { width, seed: 1 });
    const x = tf.randomUniform([3, 784]) as tf.Tensor2D;
    const out = model.forward(x);
    expect(out.logits.shape).toEqual([3, 10]);
    expect(out.hidden.map((h) => h.shape)).toEqual(hidden);
    expect(parameterCount(model)).toBe(parameters);
    expect(new Set(model.params.map((p) => p.name)).size).toBe(model.params.length);
    tf.dispose([x, out.logits, ...out.hidden]);
    model.dispose();
  });

  it.each(Object.keys(expected) as Arch[])('%s: the same seed gives identical weights, another seed different ones', async (arch) => {
    const weights = async (seed: number) => {
      const model = buildModel(arch, { width: expected[arch].width, seed });
      const values = await Promise.all(model.params.map((p) => p.variable.data()));
      model.dispose();
      return values;
    };
    expect(await weights(3)).toEqual(await weights(3));
    expect(await weights(3)).not.toEqual(await weights(4));
  });

  it('initialises the LSTM forget-gate bias to 1 and the others to 0', async () => {
    const model = buildModel('lstm', { width: 2, seed: 1 });
    const bias = await model.params.find((p) => p.name === 'lstm/bias')!.variable.data();
    expect([...bias]).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    model.dispose();
  });

  it('depth adds layers of the same kind (the LSTM: dense layers after it), named in order', () => {
    const names = (arch: Arch, depth: number) => {
      const model = buildModel(arch, { width: 4, depth, seed: 1 });
      const layers = [...model.architecture.hidden.map((l) => `${l.name}:${l.kind}:${l.units}`), model.architecture.head.name];
      model.dispose();
      return layers;
    };
    expect(names('mlp', 3)).toEqual(['dense0:dense:4', 'dense1:dense:4', 'dense2:dense:4', 'dense3']);
    expect(names('cnn', 3)).toEqual(['conv0:conv:4', 'conv1:conv:8', 'conv2:conv:16', 'dense']);
    expect(names('lstm', 2)).toEqual(['lstm:lstm:4', 'dense1:dense:4', 'dense']);
    // 28 → 14 → 7 → 3 → 1: a fifth pooling would leave nothing.
    expect(() => buildModel('cnn', { width: 2, depth: 5, seed: 1 })).toThrow(/at least 32×32, got 28×28/);
    expect(() => buildModel('mlp', { width: 4, depth: 0, seed: 1 })).toThrow(/depth that is a positive integer/);
  });

  it('two models in one process do not collide', () => {
    const a = buildModel('mlp', { width: 4, seed: 1 });
    const b = buildModel('mlp', { width: 4, seed: 1 });
    expect(a.params[0]!.variable.name).not.toBe(b.params[0]!.variable.name);
    a.dispose();
    b.dispose();
  });
});
