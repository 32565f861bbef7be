/** `sweep cancel`, `sweep pause`, `sweep resume`: what a researcher does to a running sweep. */
// The Temporal client, Prisma and the workflow definitions load when a command runs, not for `--help`.
import type { WorkflowHandle } from '@temporalio/client';
import { parseCommandArgs, type Command } from '../command';
import { resolveSweep } from '../resolve-sweep';

async function withSweepHandle(command: string, argv: string[], act: (handle: WorkflowHandle) => Promise<void>) {
  const { positionals } = parseCommandArgs(command, argv, {});
  const [{ connectTemporal }, { createPrisma }] = await Promise.all([import('../../client/connect'), import('../../db/client')]);
  const prisma = createPrisma();
  const sweep = await resolveSweep(prisma, command, positionals[0]).finally(() => prisma.$disconnect());
  const client = await connectTemporal();
  try {
    await act(client.workflow.getHandle(sweep.workflowId));
    return sweep;
  } finally {
    await client.connection.close();
  }
}

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel a sweep and kill its running trials',
  help: `Usage: sweep cancel SWEEP

Cancels the sweep's workflow; its running trials are cancelled and their processes
killed. Finished results stay; resubmitting the sweep runs only what is left.`,
  async run(argv) {
    const sweep = await withSweepHandle('cancel', argv, async (handle) => {
      await handle.cancel();
      await handle.result().catch(() => undefined);
    });
    console.log(`${sweep.id} cancelled`);
    return 0;
  },
};

export const pauseCommand: Command = {
  name: 'pause',
  summary: 'stop starting new trials (running ones finish)',
  help: 'Usage: sweep pause SWEEP\n\nThe sweep starts no new trial until `sweep resume`; trials already running finish.',
  async run(argv) {
    const { pauseSignal } = await import('../../workflows/definitions');
    const sweep = await withSweepHandle('pause', argv, (handle) => handle.signal(pauseSignal));
    console.log(`${sweep.id} paused`);
    return 0;
  },
};

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'resume a paused sweep',
  help: 'Usage: sweep resume SWEEP',
  async run(argv) {
    const { resumeSignal } = await import('../../workflows/definitions');
    const sweep = await withSweepHandle('resume', argv, (handle) => handle.signal(resumeSignal));
    console.log(`${sweep.id} resumed`);
    return 0;
  },
};
