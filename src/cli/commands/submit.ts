import { parseCommandArgs, positiveInt, type Command } from '../command';
import { progressPrinter } from '../progress-bar';
import { UsageError } from '../usage-error';

export const submitCommand: Command = {
  name: 'submit',
  summary: 'validate a sweep file and start it (or print its trials with --dry-run)',
  help: `Usage: sweep submit FILE [--preset P] [--dry-run] [--wait] [--json] [--concurrency N] [--rerun]

Loads FILE (a TypeScript file whose default export is defineSweep({...})),
validates every trial against its family's schema, and starts the sweep.
Trials that already have a finished result computed by the same code (the
family's version and its shared code's are part of each trial's key), from an
earlier submission or another sweep, are linked, not rerun; submit says how many
and from which code revisions. Submitting a sweep that is running is a no-op.

  --preset P        apply the sweep's preset P (e.g. smoke, paper)
  --dry-run         print what would run; submit nothing
  --json            machine-readable output; with --dry-run:
                    {"name","family","total","trials":[{"key","seed","params"}]}
  --wait            follow progress until the sweep ends; exit 1 if a trial failed. A Temporal
                    server that goes away meanwhile (a restart) is waited for, said on stderr
  --concurrency N   trials in flight at once (default: the sweep's, else the worker slots; at most 500)
  --rerun           run every trial afresh in this submission (new trial keys and sweep id;
                    the earlier results stay in the database)

Exit codes: 0 ok, 1 failure, 2 bad input (the message names the file and field).`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('submit', argv, {
      preset: { type: 'string' },
      'dry-run': { type: 'boolean' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
      rerun: { type: 'boolean' },
    });
    const file = positionals[0];
    if (!file) throw new UsageError('sweep submit: missing FILE (a sweep definition, e.g. sweeps/train-mnist.ts)');
    const concurrency = positiveInt('submit', 'concurrency', values.concurrency);
    // A nonce for fresh trial keys: this submission reuses no finished result.
    const rerun = values.rerun ? new Date().toISOString() : null;
    // Loaded here, not at start-up: `--help` and usage errors need none of them, and --dry-run no Temporal or Prisma.
    const [{ familyCatalogue }, { loadSweepFile }] = await Promise.all([import('../../experiments/registry'), import('../../sweep/load')]);
    const loaded = await loadSweepFile(file, { catalogue: familyCatalogue, preset: values.preset, rerun });

    if (values['dry-run']) {
      if (values.json) {
        const trials = loaded.trials.map(({ key, seed, params }) => ({ key, seed, params }));
        console.log(JSON.stringify({ name: loaded.name, family: loaded.family, total: trials.length, trials }));
      } else {
        console.log(`${loaded.name} (${loaded.family}${loaded.preset ? `, preset ${loaded.preset}` : ''}): ${loaded.trials.length} trials`);
        for (const trial of loaded.trials) console.log(`  ${trial.key.slice(0, 12)}  seed ${trial.seed}  ${JSON.stringify(trial.params)}`);
      }
      return 0;
    }

    const [{ createPrisma }, { connectTemporal, outageOptions }, { submitSweep }, { watchSweep }] = await Promise.all([
      import('../../db/client'),
      import('../../client/connect'),
      import('../../client/submit-sweep'),
      import('../../client/watch-sweep'),
    ]);
    const prisma = createPrisma();
    const client = await connectTemporal();
    try {
      const submitted = await submitSweep(prisma, client, loaded, { concurrency });
      if (values.json) {
        console.log(JSON.stringify(submitted));
      } else {
        console.log(`sweep    ${submitted.sweepId}${submitted.started ? '' : ' (already running: nothing new started)'}`);
        console.log(`trials   ${submitted.total} (${submitted.alreadyFinished} already finished, ${submitted.total - submitted.alreadyFinished} to run)`);
        if (submitted.reused.length > 0) {
          const revisions = submitted.reused.map((r) => `${r.codeRevision ? r.codeRevision.slice(0, 12) : 'unrecorded'} ×${r.count}`).join(', ');
          console.log(`reusing  ${submitted.alreadyFinished} result(s) of ${loaded.definition.codeVersion}, from code revision ${revisions} (--rerun runs them afresh)`);
        }
        console.log(`web UI   ${submitted.links.sweep}`);
        console.log(`         ${submitted.links.runs}  (its runs)`);
      }
      if (!values.wait) return 0;
      const printer = progressPrinter();
      // Submitted: from here on a Temporal outage is waited out (watch-sweep.ts), not an error.
      const end = await watchSweep(client, submitted.workflowId, (p) => printer.update(p), { outage: outageOptions() });
      printer.end();
      const c = end.counters ?? end.progress;
      const failed = c ? c.failed + c.errored : 0;
      if (!values.json) {
        console.log(`finished ${end.status.toLowerCase()}${c ? `: ${c.done} done, ${c.skipped} skipped, ${failed} failed` : ''}`);
      }
      return end.status === 'COMPLETED' && failed === 0 ? 0 : 1;
    } finally {
      await prisma.$disconnect();
      await client.connection.close();
    }
  },
};
