import { ensureTemporalBinary } from '../../stack/temporal-binary';
import { parseCommandArgs, positiveInt, type Command } from '../command';
import { UsageError } from '../usage-error';

export const devCommand: Command = {
  name: 'dev',
  summary: 'the local stack: Temporal dev server, Postgres, migrations, workers',
  help: `Usage: sweep dev up [--slots N] [--no-worker] | down | status [--json] | install

  up       start (idempotently) a Temporal dev server with its web UI on 127.0.0.1:8233
           and SQLite persistence under .sweep/ (unless TEMPORAL_ADDRESS is set), a private
           Postgres under .sweep/ (unless DATABASE_URL is set; loopback only, with a generated
           password kept in .sweep/postgres.password, mode 0600), apply the migrations, and
           start a worker with N trial slots (default: one per core)
  down     stop exactly what 'up' started
  status   what runs where
  install  build the Temporal CLI with Go into ~/.cache/sweeplab/bin if it is missing

Ports: SWEEP_TEMPORAL_PORT (7233), SWEEP_TEMPORAL_UI_PORT (8233), SWEEP_POSTGRES_PORT (54329).
State directory: SWEEP_STATE_DIR (default .sweep).`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('dev', argv, {
      slots: { type: 'string' },
      'no-worker': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    // The stack's modules (Temporal client, pg) load only for up, down and status; install needs none of them.
    const stack = () => import('../../stack/local-stack');
    switch (positionals[0]) {
      case 'up': {
        const { devUp } = await stack();
        await devUp({ slots: positiveInt('dev', 'slots', values.slots), workers: !values['no-worker'] });
        return 0;
      }
      case 'down': {
        const { devDown } = await stack();
        await devDown();
        return 0;
      }
      case 'status': {
        const { devStatus } = await stack();
        const status = await devStatus();
        if (values.json) {
          console.log(JSON.stringify(status, null, 2));
        } else {
          const t = status.temporal;
          const p = status.postgres;
          const w = status.worker;
          console.log(`state     ${status.stateDir}`);
          console.log(`temporal  ${t.up ? 'up' : 'down'}  ${t.address ?? '-'}${t.pid ? ` (pid ${t.pid})` : ''}${t.uiUrl ? `  web UI ${t.uiUrl}` : ''}`);
          console.log(`postgres  ${p.up ? 'up' : 'down'}  ${p.url ?? '-'}${p.pid ? ` (pid ${p.pid})` : ''}`);
          console.log(`worker    ${w.pid ? `pid ${w.pid}` : 'not running'}  queue ${w.queue ?? '-'}  slots ${w.slots ?? '-'}  pollers ${w.pollers}`);
        }
        return status.temporal.up && status.postgres.up ? 0 : 1;
      }
      case 'install':
        console.log(ensureTemporalBinary(console.log));
        return 0;
      default:
        throw new UsageError(`sweep dev: expected up, down, status or install${positionals[0] ? `, got '${positionals[0]}'` : ''}`);
    }
  },
};
