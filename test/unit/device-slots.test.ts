import { describe, expect, it } from 'vitest';
import { DeviceSlots } from '../../src/activities/device-slots';

describe('GPU device slots', () => {
  it('hands each trial its own device and queues the rest until one is released', async () => {
    const slots = new DeviceSlots(['0', '1']);
    const a = await slots.acquire();
    const b = await slots.acquire();
    expect(new Set([a, b])).toEqual(new Set(['0', '1']));
    let third: string | null = null;
    const waiting = slots.acquire().then((d) => (third = d));
    await Promise.resolve();
    expect(third).toBeNull();
    slots.release(b);
    await waiting;
    expect(third).toBe(b);
  });

  it('refuses a GPU worker with no device', () => {
    expect(() => new DeviceSlots([])).toThrow(/at least one device/);
  });
});
