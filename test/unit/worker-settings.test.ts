import { describe, expect, it } from 'vitest';
import { metricsSettings } from '../../src/worker/metrics';
import { shutdownGraceMs } from '../../src/worker/run-worker';

describe('worker settings', () => {
  it('serves metrics only when a port is given, the flag over SWEEP_METRICS_PORT, on loopback unless told', () => {
    expect(metricsSettings(undefined, {})).toBeNull();
    expect(metricsSettings(undefined, { SWEEP_METRICS_PORT: '9464' })).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(metricsSettings(9100, { SWEEP_METRICS_PORT: '9464', SWEEP_METRICS_HOST: '0.0.0.0' })).toEqual({ port: 9100, host: '0.0.0.0' });
    expect(() => metricsSettings(undefined, { SWEEP_METRICS_PORT: 'http' })).toThrow(/SWEEP_METRICS_PORT must be a port number/);
    expect(() => metricsSettings(undefined, { SWEEP_METRICS_PORT: '70000' })).toThrow(/SWEEP_METRICS_PORT/);
  });

  it('gives running trials SWEEP_SHUTDOWN_GRACE seconds on SIGTERM, none by default', () => {
    expect(shutdownGraceMs({})).toBe(0);
    expect(shutdownGraceMs({ SWEEP_SHUTDOWN_GRACE: '300' })).toBe(300_000);
    expect(shutdownGraceMs({ SWEEP_SHUTDOWN_GRACE: '2.5' })).toBe(2_500);
    expect(() => shutdownGraceMs({ SWEEP_SHUTDOWN_GRACE: '-1' })).toThrow(/SWEEP_SHUTDOWN_GRACE/);
    expect(() => shutdownGraceMs({ SWEEP_SHUTDOWN_GRACE: '5m' })).toThrow(/SWEEP_SHUTDOWN_GRACE/);
  });
});
