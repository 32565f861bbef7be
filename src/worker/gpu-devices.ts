/**
 * The GPUs a worker on the 'gpu' queue hands out when `--gpus` is not given:
 * those CUDA_VISIBLE_DEVICES names, else those `nvidia-smi -L` lists. Guessing
 * 0..N-1 instead would give trials devices that do not exist.
 */
import { spawnSync } from 'node:child_process';

export interface GpuProbe {
  readonly env?: NodeJS.ProcessEnv;
  /** `nvidia-smi -L` output, or null when nvidia-smi is missing or fails. */
  readonly listGpus?: () => string | null;
}

export interface DetectedGpus {
  readonly devices: string[];
  /** Where they came from, for the worker's start-up line. */
  readonly source: 'CUDA_VISIBLE_DEVICES' | 'nvidia-smi' | null;
}

export function detectGpuDevices(probe: GpuProbe = {}): DetectedGpus {
  // Set, even to '' (CUDA's way of hiding every GPU), it is the whole truth: nvidia-smi would list hidden ones.
  const visible = (probe.env ?? process.env).CUDA_VISIBLE_DEVICES;
  if (visible !== undefined) return { devices: parseVisibleDevices(visible.trim()), source: 'CUDA_VISIBLE_DEVICES' };
  const listing = (probe.listGpus ?? runNvidiaSmi)();
  const devices = listing === null ? [] : parseNvidiaSmiList(listing);
  return { devices, source: devices.length > 0 ? 'nvidia-smi' : null };
}

/** CUDA stops at the first invalid entry (e.g. '-1', the usual way of hiding all GPUs), so the list does too. */
export function parseVisibleDevices(value: string): string[] {
  const devices: string[] = [];
  for (const entry of value.split(',').map((d) => d.trim())) {
    if (entry === '' || /^-\d+$/.test(entry)) break;
    devices.push(entry);
  }
  return devices;
}

/** The indices of lines like 'GPU 0: NVIDIA H200 (UUID: GPU-…)'; MIG sub-device lines are not GPUs of their own here. */
export function parseNvidiaSmiList(output: string): string[] {
  return output
    .split('\n')
    .map((line) => /^GPU (\d+):/.exec(line.trim())?.[1])
    .filter((index): index is string => index !== undefined);
}

function runNvidiaSmi(): string | null {
  const result = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 10_000 });
  return result.error || result.status !== 0 ? null : result.stdout;
}
