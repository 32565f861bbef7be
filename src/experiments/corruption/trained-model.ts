/**
 * Trained models of the corruption study, reused by content key. A corruption
 * sweep crosses norm, ε list and target over the same trained network; it is
 * trained once per (training settings, seed, backend, training code version)
 * and read back by the other trials, through the artifact store every worker
 * shares (the Postgres Artifact table), under the key's lock so that trials
 * needing the same model at once train it once. The key hashes everything that
 * determines the weights, so a hit gives the weights the trial would have
 * trained itself. The weights' sha256 is kept in the meta and checked on load.
 */
import { getOrCreate } from '../artifacts/get-or-create';
import type { ArtifactStore } from '../artifacts/store';
import { decodeWeights, encodeWeights } from '../artifacts/weights-codec';
import { canonicalJson, sha256Hex } from '../../sweep/key';
import type { Model } from '../models/model';
import { assignWeights, exportWeights } from '../models/weights';
import { TRAINING_CODE } from '../shared-code';
import type { EpochMetrics } from '../training';

export const TRAINED_MODEL_KIND = 'corruption-trained-model';

export interface TrainingRecord {
  readonly history: EpochMetrics[];
  readonly trainSeconds: number;
}

export function trainedModelKey(settings: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ kind: TRAINED_MODEL_KIND, trainingCode: TRAINING_CODE.version, ...settings }));
}

/**
 * Fills `model` with the weights stored under `key`, or trains it with `trainIt`
 * (which trains `model` in place) and stores the result.
 */
export async function obtainTrainedModel(
  store: ArtifactStore,
  key: string,
  model: Model,
  trainIt: () => Promise<TrainingRecord>,
): Promise<TrainingRecord & { reused: boolean }> {
  let trained: TrainingRecord | null = null;
  const { artifact, reused } = await getOrCreate(store, key, TRAINED_MODEL_KIND, async () => {
    trained = await trainIt();
    const bytes = encodeWeights(await exportWeights(model));
    return { bytes, meta: { history: trained.history, trainSeconds: trained.trainSeconds, sha256: sha256Hex(bytes) } };
  });
  if (!reused) return { ...trained!, reused };
  const sha = sha256Hex(artifact.bytes);
  if (artifact.meta.sha256 !== sha) {
    throw new Error(`trained model ${key}: stored weights hash ${sha} differs from the recorded ${String(artifact.meta.sha256)}`);
  }
  assignWeights(model, decodeWeights(artifact.bytes));
  return { history: artifact.meta.history as EpochMetrics[], trainSeconds: Number(artifact.meta.trainSeconds), reused };
}
