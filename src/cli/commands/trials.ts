import { TRIAL_STATUSES as STATUSES, type TrialListing } from '../../db/listing';
import type { TrialStatus } from '../../db/sweeps';
import type { ResolvedSweepDefinition } from '../../sweep/loaded-sweep';
import { describeParameters } from '../../sweep/trial-summary';
import { formatColumns } from '../columns';
import { parseCommandArgs, type Command } from '../command';
import { elapsedMs, formatElapsed } from '../elapsed';
import { resolveSweep } from '../resolve-sweep';
import { UsageError } from '../usage-error';

/** Error messages are cut to this many characters in the table (--json has the whole first line). */
const ERROR_WIDTH = 100;

export const trialsCommand: Command = {
  name: 'trials',
  summary: 'list one sweep’s trials: status, attempts, the parameters that vary, duration, error',
  help: `Usage: sweep trials SWEEP [--status ${STATUSES.join('|')}] [--json]

One line per trial of SWEEP (an id, or a name for its latest submission), in
the sweep's order: its index, key (first 12 characters), status, attempts, the
values of the parameters that vary in the sweep, seed, duration (so far, while
it runs), tfjs backend, and for failed and error trials the first line of the error.

  --status S  only trials with status S: ${STATUSES.join(', ')}
  --json      an array of {"index","key","status","attempts","params","seed","backend",
              "startedAt","finishedAt","durationMs","error"}`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('trials', argv, { status: { type: 'string' }, json: { type: 'boolean' } });
    const status = values.status;
    if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`sweep trials: --status must be one of ${STATUSES.join(', ')}; got '${status}'`);
    }
    if (!positionals[0]) throw new UsageError('sweep trials: missing SWEEP (a sweep id or name; `sweep ls` lists them)');
    // Loaded here, not at start-up: `--help` and usage errors need none of them.
    const [{ createPrisma }, { listTrialsOfSweep }, { varyingParameters }] = await Promise.all([
      import('../../db/client'),
      import('../../db/listing'),
      import('../../sweep/sweep-axes'),
    ]);
    const prisma = createPrisma();
    try {
      const sweep = await resolveSweep(prisma, 'trials', positionals[0]);
      const trials = await listTrialsOfSweep(prisma, sweep.id, { status: status as TrialStatus | undefined });
      const now = new Date();
      if (values.json) {
        console.log(JSON.stringify(trials.map((t) => ({ ...t, durationMs: t.durationMs ?? elapsedMs(t.startedAt, t.finishedAt, now) }))));
        return 0;
      }
      if (trials.length === 0) {
        console.log(`${sweep.id}: no ${status ? `${status} ` : ''}trials`);
        return 0;
      }
      // The stored spec is the resolved definition the sweep was submitted with.
      const spec = sweep.spec as unknown as Partial<ResolvedSweepDefinition> | null;
      const varying = spec?.parameters ? varyingParameters({ parameters: spec.parameters, samples: spec.samples ?? 1 }) : [];
      console.log(trialTable(trials, varying, now));
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

export function trialTable(trials: readonly TrialListing[], varying: readonly string[], now: Date): string {
  const header = ['#', 'KEY', 'STATUS', 'ATTEMPTS', 'PARAMETERS', 'SEED', 'DURATION', 'BACKEND', 'ERROR'];
  const rows = trials.map((t) => [
    String(t.index),
    t.key.slice(0, 12),
    t.status,
    String(t.attempts),
    describeParameters(t.params, varying) || '—',
    String(t.seed),
    formatElapsed(t.durationMs ?? elapsedMs(t.startedAt, t.finishedAt, now)),
    t.backend ?? '—',
    t.status === 'failed' || t.status === 'error' ? truncate(t.error ?? '', ERROR_WIDTH) : '',
  ]);
  return formatColumns(header, rows);
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
