import { sweepCounts } from '../../db/sweeps';
import type { TimedProgress } from '../../client/progress-clock';
import { parseCommandArgs, positiveInt, type Command } from '../command';
import { progressLine } from '../progress-bar';
import { resolveSweep } from '../resolve-sweep';

/** How long `status` waits for an unavailable Temporal server before answering from the database alone. */
const STATUS_TEMPORAL_WAIT_MS = 10_000;

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'list recent sweeps, or show one sweep’s trial counts and live progress',
  help: `Usage: sweep status [SWEEP] [--json] [--limit N]

Without SWEEP: the most recent sweeps with their trial counts.
With SWEEP (an id, or a name for its latest submission): its trial counts from the
database, its workflow's state and, while it runs, live progress, and its web UI
links: the sweep workflow, and the list of its runs. If the Temporal
server is unavailable it waits up to 10 s (saying so on stderr), then answers from
the database alone. \`sweep ls\` lists
sweeps as a table, \`sweep trials SWEEP\` one sweep's trials.`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('status', argv, { json: { type: 'boolean' }, limit: { type: 'string' } });
    // Loaded here, not at start-up: `--help` and usage errors need none of them.
    const { createPrisma } = await import('../../db/client');
    const prisma = createPrisma();
    try {
      if (!positionals[0]) {
        const { listSweepsWithProgress } = await import('../../db/listing');
        const sweeps = await listSweepsWithProgress(prisma, { limit: positiveInt('status', 'limit', values.limit) ?? 20 });
        const rows = sweeps.map((s) => ({
          id: s.id,
          name: s.name,
          family: s.family,
          preset: s.preset,
          status: s.status,
          createdAt: s.createdAt,
          counts: { total: s.total, pending: s.pending, running: s.running, done: s.done, failed: s.failed, error: s.error },
        }));
        if (values.json) {
          console.log(JSON.stringify(rows));
        } else if (rows.length === 0) {
          console.log('no sweeps yet: `sweep submit FILE` starts one');
        } else {
          for (const r of rows) {
            const c = r.counts;
            console.log(`${r.id}  ${r.status.padEnd(9)}  ${c.done}/${c.total} done  ${c.failed + c.error} failed  ${c.running} running  ${r.createdAt.toISOString()}`);
          }
        }
        return 0;
      }
      const sweep = await resolveSweep(prisma, 'status', positionals[0]);
      const counts = await sweepCounts(prisma, sweep.id);
      let workflow: { status: string; progress: TimedProgress | null } | null = null;
      let temporalProblem: string | null = null;
      const [{ connectTemporal, outageOptions }, { sweepUiLinks }, { timeProgress }, { progressQuery }, { whileTemporalIsDown }] = await Promise.all([
        import('../../client/connect'),
        import('../../client/ui-links'),
        import('../../client/progress-clock'),
        import('../../workflows/definitions'),
        import('../../client/temporal-outage'),
      ]);
      // A server that is restarting gets a moment; past it, the database alone answers.
      const outage = { ...outageOptions(), giveUpAfterMs: STATUS_TEMPORAL_WAIT_MS };
      try {
        const client = await connectTemporal(undefined, { waitIfDown: outage });
        try {
          const handle = client.workflow.getHandle(sweep.workflowId);
          const description = await whileTemporalIsDown('reading the sweep’s workflow', () => handle.describe(), outage);
          const progress = description.status.name === 'RUNNING' ? await handle.query(progressQuery).then((p) => timeProgress(p)).catch(() => null) : null;
          workflow = { status: description.status.name, progress };
        } finally {
          await client.connection.close();
        }
      } catch (err) {
        // Temporal may be down or the workflow's history gone: the counts above are the database's.
        temporalProblem = firstLine(err instanceof Error ? err.message : String(err));
      }
      const links = sweepUiLinks({ sweepId: sweep.id, workflowId: sweep.workflowId });
      if (values.json) {
        console.log(JSON.stringify({ id: sweep.id, name: sweep.name, family: sweep.family, preset: sweep.preset, status: sweep.status, counts, workflow, temporalProblem, links }));
        return 0;
      }
      console.log(`sweep    ${sweep.id} (${sweep.family}${sweep.preset ? `, preset ${sweep.preset}` : ''})`);
      console.log(`status   ${sweep.status}${workflow ? ` (workflow ${workflow.status.toLowerCase()})` : ''}`);
      console.log(`trials   ${counts.total}: ${counts.done} done, ${counts.failed} failed, ${counts.error} errored, ${counts.running} running, ${counts.pending} pending`);
      if (workflow?.progress) console.log(`progress ${progressLine(workflow.progress)}`);
      if (temporalProblem) console.log(`workflow unknown: ${temporalProblem} (the counts are the database's)`);
      console.log(`web UI   ${links.sweep}`);
      console.log(`         ${links.runs}  (its runs)`);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};
