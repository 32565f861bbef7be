import { availableParallelism } from 'node:os';
import { runWorker } from '../../worker/run-worker';
import { parseCommandArgs, positiveInt, type Command } from '../command';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run trials from a task queue (and, by default, the sweep workflows)',
  help: `Usage: sweep worker [--queue cpu|gpu|NAME] [--slots N] [--gpus 0,1,...] [--no-control]

Polls the task queue for trials and runs each in its own process, N at a time.
Start one on every machine that should run trials; each needs TEMPORAL_ADDRESS
and DATABASE_URL pointing at the shared Temporal server and Postgres.

  --queue Q      task queue: 'cpu' (default) or 'gpu', as the sweep's taskQueue says
  --slots N      trials at once (default: one per core; on 'gpu', one per device)
  --gpus LIST    device ids to hand out, one per trial process via CUDA_VISIBLE_DEVICES
                 (default on 'gpu': 0..N-1)
  --no-control   do not run sweep workflows here (when dedicated control workers exist)`,
  async run(argv) {
    const { values } = parseCommandArgs('worker', argv, {
      queue: { type: 'string' },
      slots: { type: 'string' },
      gpus: { type: 'string' },
      'no-control': { type: 'boolean' },
    }, 0);
    const devices = values.gpus?.split(',').map((d) => d.trim()).filter(Boolean);
    const slots = positiveInt('worker', 'slots', values.slots) ?? devices?.length ?? availableParallelism();
    const queue = values.queue ?? 'cpu';
    console.log(`sweep worker: queue '${queue}', ${slots} slot(s)${devices ? `, devices ${devices.join(',')}` : ''}, pid ${process.pid}`);
    await runWorker({ queue, slots, control: !values['no-control'], devices });
    return 0;
  },
};
