/**
 * Entry point of a throwaway process that picks a tfjs backend exactly as a
 * trial process would (same environment, same order) and prints, as one JSON
 * line, what it got and why each faster backend was skipped. `sweep doctor`
 * runs it, so the CLI never loads TensorFlow itself.
 */
import { backendInfo, initBackend } from './backend';
import type { BackendProbeReport } from './probe-backend';

const notes: string[] = [];
let report: BackendProbeReport;
try {
  const backend = await initBackend({ log: (message) => notes.push(message) });
  const info = backendInfo();
  report = { ok: true, backend, version: info.version, device: info.device, notes };
} catch (err) {
  report = { ok: false, notes, error: err instanceof Error ? err.message : String(err) };
}
process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
