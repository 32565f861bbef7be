/** A TrialContext for running a family's runner in a test: records what it reports, an in-memory artifact store. */
import { MemoryArtifactStore } from '../../src/experiments/artifacts/memory-store';
import type { TrialContext } from '../../src/experiments/family';

export interface ReportedPoint {
  readonly step: number;
  readonly metrics: Record<string, number>;
}

export function recordingContext(seed: number, backend: string): { ctx: TrialContext; points: ReportedPoint[] } {
  const points: ReportedPoint[] = [];
  const ctx: TrialContext = {
    seed,
    attempt: 1,
    backend,
    report: (step, metrics) => points.push({ step, metrics }),
    log: () => {},
    artifacts: new MemoryArtifactStore(),
  };
  return { ctx, points };
}
