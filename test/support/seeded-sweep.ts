/**
 * A sweep written straight into the results database, as the workers would
 * have left it (through the same db/ functions): trials done with their
 * summaries and curves, failed or errored with their reasons, or still pending.
 * For tests of what reads results (plots, reports) without running trials.
 */
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../src/db/client';
import { registerSweep, setSweepStatus } from '../../src/db/sweeps';
import { markTrialStarted, recordTrialFailure, recordTrialResult, type MetricPoint } from '../../src/db/trials';
import type { TrialParams } from '../../src/sweep/trial';

export interface SeededTrial {
  params: TrialParams;
  seed: number;
  outcome:
    | { status: 'done'; summary: Record<string, number>; points: MetricPoint[]; durationMs: number }
    | { status: 'failed' | 'error'; message: string }
    | { status: 'pending' };
  host?: string;
  codeRevision?: string;
  backend?: string;
  backendVersion?: string;
  device?: string;
}

export interface SeededSweep {
  id: string;
  name: string;
  family: string;
  /** What is stored as the sweep's spec (the resolved definition, as submitted). */
  spec: unknown;
  trials: SeededTrial[];
}

export async function seedSweep(prisma: PrismaClient, sweep: SeededSweep): Promise<void> {
  const specs = sweep.trials.map((t, index) => {
    const key = createHash('sha256').update(JSON.stringify([sweep.id, t.params, t.seed])).digest('hex');
    return { key, family: sweep.family, codeVersion: `${sweep.family}@1 training@2`, params: t.params, seed: t.seed, index };
  });
  await registerSweep(prisma, {
    id: sweep.id,
    name: sweep.name,
    family: sweep.family,
    preset: 'smoke',
    spec: sweep.spec,
    specHash: createHash('sha256').update(sweep.id).digest('hex'),
    workflowId: sweep.id,
    trials: specs,
  });
  await setSweepStatus(prisma, sweep.id, 'running');
  const started = new Date(Date.now() - 60_000);
  for (const [i, trial] of sweep.trials.entries()) {
    const { key } = specs[i]!;
    const { outcome } = trial;
    if (outcome.status === 'pending') continue;
    const host = trial.host ?? 'test-host';
    await markTrialStarted(prisma, { key, attempt: 1, host, codeRevision: trial.codeRevision ?? 'abc1234' });
    if (outcome.status === 'done') {
      await recordTrialResult(prisma, {
        key,
        backend: trial.backend ?? 'tensorflow',
        backendVersion: trial.backendVersion ?? '2.16.2',
        device: trial.device ?? 'CPU, 2 threads',
        summary: outcome.summary,
        points: outcome.points,
        startedAt: started,
        finishedAt: new Date(started.getTime() + outcome.durationMs),
        host,
        attempt: 1,
      });
    } else {
      await recordTrialFailure(prisma, { key, kind: outcome.status === 'failed' ? 'math' : 'infra', message: outcome.message, attempt: 1, host });
    }
  }
  await setSweepStatus(prisma, sweep.id, 'completed');
}
