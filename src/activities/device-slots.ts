/**
 * The GPUs of one worker, handed out one per trial process: each trial sees
 * only its own device through CUDA_VISIBLE_DEVICES.
 */
export class DeviceSlots {
  private readonly free: string[];
  private readonly waiting: ((device: string) => void)[] = [];

  constructor(devices: readonly string[]) {
    if (devices.length === 0) throw new Error('a GPU worker needs at least one device');
    this.free = [...devices];
  }

  acquire(): Promise<string> {
    const device = this.free.shift();
    if (device !== undefined) return Promise.resolve(device);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(device: string): void {
    const next = this.waiting.shift();
    if (next) next(device);
    else this.free.push(device);
  }
}
