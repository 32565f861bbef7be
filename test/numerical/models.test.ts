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

  it.each(Object.keys(expected) as Arch[])('%s: logits [n, 10], hidden shapes, parameter count', (arch) => {
    const { width, parameters, hidden } = expected[arch];
    const model = buildModel(arch, { width, depth: 2, seed: 1 });
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

  it('two models in one process do not collide', () => {
    const a = buildModel('mlp', { width: 4, seed: 1 });
    const b = buildModel('mlp', { width: 4, seed: 1 });
    expect(a.params[0]!.variable.name).not.toBe(b.params[0]!.variable.name);
    a.dispose();
    b.dispose();
  });
});
