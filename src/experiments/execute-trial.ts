/**
 * Runs one trial of any family and reports through `emit`: the same code runs
 * in a forked trial process (the default) and, for families that only wait,
 * inline in the worker.
 */
import { databaseUrl } from '../config';
import { lazyArtifactStore } from './artifacts/lazy-store';
import { PostgresArtifactStore } from './artifacts/postgres-store';
import { assertFinite, failureKindOf, TrialInputError } from './errors';
import type { TrialContext } from './family';
import { getFamily } from './registry';
import { importOnce, loadRunner } from './runner-cache';
import type { DoneMessage, FailedMessage, StartMessage, TrialMessage } from './trial-protocol';

const backendModule = importOnce(() => import('./backend'));

export async function executeTrial(start: StartMessage, emit: (message: TrialMessage) => void): Promise<DoneMessage | FailedMessage> {
  let backend: string | null = null;
  // The services a trial gets through its context; the family reads no configuration itself.
  const artifacts = lazyArtifactStore(() => PostgresArtifactStore.connect(databaseUrl()));
  let platform: Pick<DoneMessage, 'backendVersion' | 'device'> = { backendVersion: null, device: null };
  try {
    const family = getFamily(start.family);
    // Parse again: a trial trusts nothing it was sent.
    const parsed = family.params.safeParse(start.params);
    if (!parsed.success) throw new TrialInputError(`invalid ${start.family} parameters: ${parsed.error.message}`);
    const { default: runner } = await loadRunner(family);
    if (runner.usesTensorflow) {
      const { backendInfo, initBackend } = await backendModule();
      backend = await initBackend({ log: (message) => emit({ type: 'log', message }) });
      const info = backendInfo();
      platform = { backendVersion: info.version, device: info.device };
    } else {
      backend = 'none';
    }
    const ctx: TrialContext = {
      seed: start.seed,
      attempt: start.attempt ?? 1,
      backend,
      report: (step, metrics) => emit({ type: 'progress', step, metrics }),
      log: (message) => emit({ type: 'log', message }),
      artifacts,
    };
    const summary = await runner.run(parsed.data, ctx);
    assertFinite(summary, `${start.family} summary`);
    return { type: 'done', backend, ...platform, summary };
  } catch (err) {
    return {
      type: 'failed',
      backend,
      kind: failureKindOf(err),
      message: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  } finally {
    await artifacts.close().catch(() => undefined);
  }
}
