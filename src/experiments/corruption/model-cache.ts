/**
 * Reuse of trained models by content key. A corruption sweep crosses norm, ε
 * list and target over the same trained network; training it once per
 * (training settings, seed, backend) and reading it back for the other trials
 * saves most of a sweep's time. The key hashes everything that determines the
 * weights, so a hit gives the weights the trial would have trained itself
 * (training is a pure function of those settings and the seed).
 *
 * The cache is a directory of files on the worker's machine
 * (<state dir>/cache/corruption-models, or SWEEP_MODEL_CACHE_DIR; 'off'
 * disables it). A file is written to a temporary name and renamed, so a
 * concurrent reader never sees half of one; anything unreadable or of another
 * shape is ignored and the model is trained again.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { stateDir } from '../../config';
import { canonicalJson, sha256Hex } from '../../sweep/key';
import type { Model } from '../models/model';
import type { EpochMetrics } from '../training';

const FORMAT = 1;

export interface TrainingRecord {
  readonly history: EpochMetrics[];
  readonly trainSeconds: number;
}

interface CacheFile extends TrainingRecord {
  readonly format: number;
  readonly params: { name: string; shape: number[]; data: string }[];
}

/** The cache directory, or null when disabled. */
export function modelCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.SWEEP_MODEL_CACHE_DIR?.trim();
  if (configured === 'off') return null;
  return configured ? resolve(configured) : join(stateDir(), 'cache', 'corruption-models');
}

export function modelCacheKey(settings: Record<string, unknown>): string {
  return sha256Hex(canonicalJson({ format: FORMAT, ...settings }));
}

/** Loads the weights stored under `key` into `model`; null (model untouched) when absent or unusable. */
export function loadCachedModel(dir: string, key: string, model: Model): TrainingRecord | null {
  let file: CacheFile;
  try {
    file = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as CacheFile;
  } catch {
    return null;
  }
  const matches =
    file.format === FORMAT &&
    file.params.length === model.params.length &&
    file.params.every((p, i) => p.name === model.params[i]!.name && canonicalJson(p.shape) === canonicalJson(model.params[i]!.variable.shape));
  if (!matches) return null;
  const values = file.params.map((p) => {
    const bytes = Buffer.from(p.data, 'base64');
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice();
  });
  if (values.some((v, i) => v.length !== model.params[i]!.variable.size)) return null;
  model.params.forEach((p, i) => tf.tidy(() => p.variable.assign(tf.tensor(values[i]!, p.variable.shape, 'float32'))));
  return { history: file.history, trainSeconds: file.trainSeconds };
}

export function saveCachedModel(dir: string, key: string, model: Model, record: TrainingRecord): void {
  const file: CacheFile = {
    format: FORMAT,
    ...record,
    params: model.params.map((p) => {
      const data = p.variable.dataSync() as Float32Array;
      return { name: p.name, shape: [...p.variable.shape], data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
    }),
  };
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `${key}.${process.pid}.tmp`);
  writeFileSync(temporary, JSON.stringify(file));
  renameSync(temporary, join(dir, `${key}.json`));
}
