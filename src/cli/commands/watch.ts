import { parseCommandArgs, type Command } from '../command';
import { progressPrinter } from '../progress-bar';
import { resolveSweep } from '../resolve-sweep';

export const watchCommand: Command = {
  name: 'watch',
  summary: 'follow a running sweep: a progress bar with done, failed, running and ETA',
  help: `Usage: sweep watch SWEEP

Follows the sweep until it ends. Exits 0 if it completed with no failed trial, 1 otherwise.
While the Temporal server is unreachable (restarting, say) it waits and says so on
stderr; the sweep itself goes on.`,
  async run(argv) {
    const { positionals } = parseCommandArgs('watch', argv, {});
    // Loaded here, not at start-up: `--help` and usage errors need none of them.
    const [{ connectTemporal, outageOptions }, { watchSweep }, { createPrisma }] = await Promise.all([
      import('../../client/connect'),
      import('../../client/watch-sweep'),
      import('../../db/client'),
    ]);
    const prisma = createPrisma();
    const sweep = await resolveSweep(prisma, 'watch', positionals[0]).finally(() => prisma.$disconnect());
    // A server that is down or restarting is waited for, here and while following: the sweep goes on without us.
    const client = await connectTemporal(undefined, { waitIfDown: {} });
    try {
      const printer = progressPrinter(process.stdout);
      const end = await watchSweep(client, sweep.workflowId, (p) => printer.update(p), { outage: outageOptions() });
      printer.end();
      const c = end.counters ?? end.progress;
      const failed = c ? c.failed + c.errored : 0;
      console.log(`${sweep.id} ${end.status.toLowerCase()}${c ? `: ${c.done} done, ${c.skipped} skipped, ${failed} failed` : ''}`);
      return end.status === 'COMPLETED' && failed === 0 ? 0 : 1;
    } finally {
      await client.connection.close();
    }
  },
};
