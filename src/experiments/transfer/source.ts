/**
 * Source networks: trained once per (source domain, architecture, training
 * settings, seed) and reused by every trial that needs one, through the
 * artifact store. The artifact's key is the sha256 of the canonical JSON of
 * everything that determines the weights (SourceSpec); the weights' own
 * sha256 is kept in its meta and checked on every load.
 */
import { getOrCreate } from '../artifacts/get-or-create';
import type { ArtifactStore } from '../artifacts/store';
import { canonicalJson, sha256Hex } from '../../sweep/key';
import type { OptimizerName } from '../training';
import { train } from '../training';
import type { Arch } from '../models/model';
import { deriveSeed } from '../rng';
import { TRAINING_CODE } from '../shared-code';
import { DOMAINS, loadDomain, numClassesOf, type DomainName } from './domains';
import { buildTransferNet, exportWeights } from './network';
import { TRANSFER_LAYERS_COUNT } from './strategy';
import { decodeWeights, encodeWeights, type NamedArray } from '../artifacts/weights-codec';

export const SOURCE_ARTIFACT_KIND = 'source-network';

/** Bump when source training changes in a way the other fields do not capture: old artifacts stop matching. */
export const SOURCE_RECIPE = 2; // 2: layers from the shared builder (see the family's version 2)

/** Fixed parts of the recipe (in the key through SOURCE_RECIPE and these fields). */
export const SOURCE_BATCH_SIZE = 64;
export const SOURCE_TEST_SIZE = 1000;
const SOURCE_OPTIMIZER: OptimizerName = 'adam';

export interface SourceSpec {
  readonly domain: DomainName;
  readonly arch: Arch;
  readonly width: number;
  readonly trainSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly seed: number;
}

export function sourceKey(spec: SourceSpec): string {
  const recipe = {
    kind: SOURCE_ARTIFACT_KIND,
    recipe: SOURCE_RECIPE,
    // A change of the shared training code retrains sources, as it reruns trials.
    trainingCode: TRAINING_CODE.version,
    optimizer: SOURCE_OPTIMIZER,
    batchSize: SOURCE_BATCH_SIZE,
    testSize: SOURCE_TEST_SIZE,
    ...spec,
  };
  return sha256Hex(canonicalJson(recipe));
}

export interface SourceNetwork {
  readonly key: string;
  readonly weights: NamedArray[];
  /** Accuracy of the source network on its own domain's test examples. */
  readonly testAccuracy: number;
  /** False when this trial trained it. */
  readonly reused: boolean;
  /** Seconds spent training it (when this trial did) or loading it. */
  readonly seconds: number;
}

/** Trains the source network of `spec` from scratch (every layer fresh, its domain's own head). */
export async function trainSource(spec: SourceSpec, onEpoch?: (epoch: number, testAccuracy: number) => void): Promise<{ weights: NamedArray[]; testAccuracy: number }> {
  const domain = DOMAINS[spec.domain];
  const trainSet = loadDomain(domain, 'train', 'source', spec.trainSize, deriveSeed(spec.seed, 'source-subset'));
  const testSet = loadDomain(domain, 'test', 'source', SOURCE_TEST_SIZE, deriveSeed(spec.seed, 'source-test'));
  const net = buildTransferNet({
    arch: spec.arch,
    width: spec.width,
    numClasses: numClassesOf(domain),
    seed: deriveSeed(spec.seed, 'source-init'),
    modes: Array(TRANSFER_LAYERS_COUNT).fill('fresh'),
  });
  try {
    const history = await train(net, trainSet, testSet, {
      optimizer: SOURCE_OPTIMIZER,
      learningRate: spec.learningRate,
      epochs: spec.epochs,
      batchSize: SOURCE_BATCH_SIZE,
      seed: deriveSeed(spec.seed, 'source-batches'),
      trainable: net.trainable,
      onEpoch: (m) => onEpoch?.(m.epoch, m.testAccuracy),
    });
    return { weights: await exportWeights(net), testAccuracy: history[history.length - 1]!.testAccuracy };
  } finally {
    net.dispose();
  }
}

/** The source network of `spec`: from the store, or trained (once, under the key's lock) and stored. */
export async function obtainSource(
  store: ArtifactStore,
  spec: SourceSpec,
  log: (message: string) => void = () => {},
): Promise<SourceNetwork> {
  const key = sourceKey(spec);
  const started = performance.now();
  const { artifact, reused } = await getOrCreate(store, key, SOURCE_ARTIFACT_KIND, async () => {
    log(`source network ${spec.arch} on ${spec.domain} (seed ${spec.seed}) not cached: training it (key ${key.slice(0, 12)})`);
    const trainStarted = performance.now();
    const { weights, testAccuracy } = await trainSource(spec, (epoch, acc) => log(`source epoch ${epoch}: test accuracy ${acc.toFixed(4)}`));
    const bytes = encodeWeights(weights);
    return {
      bytes,
      meta: { ...spec, testAccuracy, sha256: sha256Hex(bytes), trainSeconds: (performance.now() - trainStarted) / 1000 },
    };
  });
  const sha = sha256Hex(artifact.bytes);
  if (artifact.meta.sha256 !== sha) {
    throw new Error(`source artifact ${key}: stored weights hash ${sha} differs from the recorded ${String(artifact.meta.sha256)}`);
  }
  const testAccuracy = Number(artifact.meta.testAccuracy);
  if (reused) log(`source network ${spec.arch} on ${spec.domain} (seed ${spec.seed}) reused (key ${key.slice(0, 12)})`);
  return { key, weights: decodeWeights(artifact.bytes), testAccuracy, reused, seconds: (performance.now() - started) / 1000 };
}
