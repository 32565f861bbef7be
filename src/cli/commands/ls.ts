import type { SweepListing } from '../../db/listing';
import { formatColumns } from '../columns';
import { parseCommandArgs, positiveInt, type Command } from '../command';
import { elapsedMs, formatElapsed, formatStarted } from '../elapsed';

const DEFAULT_LIMIT = 20;

export const lsCommand: Command = {
  name: 'ls',
  summary: 'list sweeps, newest first: status, progress, start and duration',
  help: `Usage: sweep ls [NAME] [--limit N] [--json]

The newest sweeps (every submission; with NAME, only that sweep's), newest
first, from the database: name, family, preset, status (submitted, running,
completed, failed, cancelled), trials done, failed, errored and in all,
when it started and how long it ran (so far, while it runs), and its id.

  --limit N   how many (default ${DEFAULT_LIMIT})
  --json      an array of {"id","name","family","preset","status","total","done","failed",
              "error","running","pending","createdAt","startedAt","finishedAt","durationMs"}`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('ls', argv, { json: { type: 'boolean' }, limit: { type: 'string' } });
    const limit = positiveInt('ls', 'limit', values.limit) ?? DEFAULT_LIMIT;
    // Loaded here, not at start-up: `--help` and usage errors need none of them.
    const [{ createPrisma }, { listSweepsWithProgress }] = await Promise.all([import('../../db/client'), import('../../db/listing')]);
    const prisma = createPrisma();
    try {
      const sweeps = await listSweepsWithProgress(prisma, { limit, name: positionals[0] });
      const now = new Date();
      if (values.json) {
        console.log(JSON.stringify(sweeps.map((s) => ({ ...s, durationMs: elapsedMs(s.startedAt, s.finishedAt, now) }))));
      } else if (sweeps.length === 0) {
        console.log(positionals[0] ? `no sweep named '${positionals[0]}'` : 'no sweeps yet: `sweep submit FILE` starts one');
      } else {
        console.log(sweepTable(sweeps, now));
      }
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};

export function sweepTable(sweeps: readonly SweepListing[], now: Date): string {
  const header = ['NAME', 'FAMILY', 'PRESET', 'STATUS', 'DONE', 'FAILED', 'ERRORED', 'TOTAL', 'STARTED', 'DURATION', 'ID'];
  const rows = sweeps.map((s) => [
    s.name,
    s.family,
    s.preset ?? '—',
    s.status,
    String(s.done),
    String(s.failed),
    String(s.error),
    String(s.total),
    formatStarted(s.startedAt ?? s.createdAt),
    formatElapsed(elapsedMs(s.startedAt, s.finishedAt, now)),
    s.id,
  ]);
  return formatColumns(header, rows);
}
