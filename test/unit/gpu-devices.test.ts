/** Which GPUs a 'gpu' worker hands out without --gpus, and what `sweep worker --queue gpu` refuses. */
import { describe, expect, it } from 'vitest';
import { gpuDevices } from '../../src/cli/commands/worker';
import { UsageError } from '../../src/cli/usage-error';
import { detectGpuDevices, parseNvidiaSmiList, parseVisibleDevices } from '../../src/worker/gpu-devices';
import { runCli } from '../support/workers';

const TWO_H200 = [
  'GPU 0: NVIDIA H200 (UUID: GPU-5f1b6c2e-0000-0000-0000-000000000000)',
  'GPU 1: NVIDIA H200 (UUID: GPU-5f1b6c2e-1111-1111-1111-111111111111)',
  '',
].join('\n');

const noSmi = () => null;

describe('detecting GPU devices', () => {
  it('prefers CUDA_VISIBLE_DEVICES, keeping its names as they are', () => {
    const listGpus = () => TWO_H200;
    expect(detectGpuDevices({ env: { CUDA_VISIBLE_DEVICES: '2, 3' }, listGpus })).toEqual({ devices: ['2', '3'], source: 'CUDA_VISIBLE_DEVICES' });
    expect(detectGpuDevices({ env: { CUDA_VISIBLE_DEVICES: 'GPU-abc' }, listGpus }).devices).toEqual(['GPU-abc']);
  });

  it('reads nvidia-smi -L when CUDA_VISIBLE_DEVICES is unset', () => {
    expect(detectGpuDevices({ env: {}, listGpus: () => TWO_H200 })).toEqual({ devices: ['0', '1'], source: 'nvidia-smi' });
  });

  it('finds none without nvidia-smi, or when CUDA_VISIBLE_DEVICES hides them all', () => {
    expect(detectGpuDevices({ env: {}, listGpus: noSmi })).toEqual({ devices: [], source: null });
    expect(detectGpuDevices({ env: { CUDA_VISIBLE_DEVICES: '-1' }, listGpus: () => TWO_H200 }).devices).toEqual([]);
    // Empty is CUDA's "no GPUs", not "unset".
    expect(detectGpuDevices({ env: { CUDA_VISIBLE_DEVICES: '' }, listGpus: () => TWO_H200 }).devices).toEqual([]);
  });

  it('stops CUDA_VISIBLE_DEVICES at the first invalid entry, as CUDA does', () => {
    expect(parseVisibleDevices('0,1,-1,2')).toEqual(['0', '1']);
  });

  it('counts GPU lines of nvidia-smi -L, not MIG lines', () => {
    const mig = 'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-x)\n  MIG 1g.5gb     Device  0: (UUID: MIG-y)\nGPU 1: NVIDIA A100 (UUID: GPU-z)\n';
    expect(parseNvidiaSmiList(mig)).toEqual(['0', '1']);
    expect(parseNvidiaSmiList('No devices were found\n')).toEqual([]);
  });
});

describe("a 'gpu' worker's devices", () => {
  const oneGpu = { env: { CUDA_VISIBLE_DEVICES: '0' }, listGpus: noSmi };

  it('takes --gpus as given, else the detected devices', () => {
    expect(gpuDevices('4,5', undefined, oneGpu)).toEqual(['4', '5']);
    expect(gpuDevices(undefined, undefined, oneGpu)).toEqual(['0']);
    expect(gpuDevices(undefined, 1, oneGpu)).toEqual(['0']);
  });

  it('refuses to start without devices, saying to pass --gpus', () => {
    expect(() => gpuDevices(undefined, undefined, { env: {}, listGpus: noSmi })).toThrow(UsageError);
    expect(() => gpuDevices(undefined, undefined, { env: {}, listGpus: noSmi })).toThrow(/no GPUs found.*--gpus/);
  });

  it('refuses more slots than devices', () => {
    expect(() => gpuDevices('0,1', 3, oneGpu)).toThrow(/--slots 3 exceeds the 2 GPU\(s\)/);
    expect(() => gpuDevices(undefined, 2, oneGpu)).toThrow(UsageError);
  });

  it('makes `sweep worker --queue gpu` exit 2 on either', async () => {
    // A PATH without nvidia-smi and no CUDA_VISIBLE_DEVICES: nothing to detect, so nothing is contacted either.
    const env = { TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none', CUDA_VISIBLE_DEVICES: '', PATH: '/nonexistent' };
    const none = await runCli(['worker', '--queue', 'gpu'], env);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/--gpus/);
    const tooMany = await runCli(['worker', '--queue', 'gpu', '--gpus', '0', '--slots', '2'], env);
    expect(tooMany.code, tooMany.stderr).toBe(2);
    expect(tooMany.stderr).toMatch(/--slots 2 exceeds/);
  });
});
