/** A trained tfjs MLP (models/build.ts, ReLU) as a float64 ReluNetwork for the bound, compression and counting code. */
import type { Model } from '../models/model';
import type { DenseLayerWeights, ReluNetwork } from './relu-network';

export async function reluNetworkOf(model: Model): Promise<ReluNetwork> {
  const { architecture } = model;
  if (model.arch !== 'mlp') throw new Error(`linear regions are counted for ReLU MLPs, not a ${model.arch}`);
  const byName = new Map(model.params.map((p) => [p.name, p.variable]));
  const layerOf = async (name: string): Promise<DenseLayerWeights> => {
    const kernel = byName.get(`${name}/kernel`);
    const bias = byName.get(`${name}/bias`);
    if (!kernel || !bias) throw new Error(`the model has no dense layer '${name}'`);
    const [inputs, units] = kernel.shape as [number, number];
    return { inputs, units, weights: Float64Array.from(await kernel.data()), bias: Float64Array.from(await bias.data()) };
  };
  return {
    inputSize: model.inputSize,
    hidden: await Promise.all(architecture.hidden.map((layer) => layerOf(layer.name))),
    output: await layerOf(architecture.head.name),
  };
}
