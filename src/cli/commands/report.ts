import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseCommandArgs, type Command } from '../command';
import { resolveSweep } from '../resolve-sweep';

/** Failed trials listed in full in a report; the rest are counted. */
const FAILED_TRIALS_SHOWN = 200;

export const reportCommand: Command = {
  name: 'report',
  summary: 'one self-contained HTML page: spec, tables, plots, reproducibility record, failed trials',
  help: `Usage: sweep report SWEEP [--out FILE]

Writes one HTML file with everything inline (CSS, SVG plots; no script, and
nothing loaded from anywhere): the sweep's overview, its tables (every table
preset of its family, as \`sweep table --preset\` prints them) and plots (as \`sweep plot\` draws them), the failed and errored
trials with their reasons, the reproducibility record (code revisions with
their trial counts, backends with versions and devices, hosts, trial
durations, the sweep's wall time, Node and key package versions) and the
sweep's definition as submitted.

  --out FILE   where to write (default: reports/<sweep id>.html)`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('report', argv, { out: { type: 'string' } });
    // Loaded here, not at start-up: `--help` and usage errors need neither Prisma nor Vega.
    const [{ createPrisma }, { sweepCounts }, reportQuery, sweepPlots, { reportTables }, { renderReport }, { installedVersions }, { codeRevision }] =
      await Promise.all([
        import('../../db/client'),
        import('../../db/sweeps'),
        import('../../db/report-query'),
        import('../sweep-plots'),
        import('../report-tables'),
        import('../../results/report/render-report'),
        import('../../results/report/installed-versions'),
        import('../../worker/code-revision'),
      ]);
    const prisma = createPrisma();
    try {
      const sweep = await resolveSweep(prisma, 'report', positionals[0]);
      const plots = [];
      const missingPlots = [];
      for (const kind of sweepPlots.plotKindsOf(sweep.family)) {
        const svg = await sweepPlots.sweepPlotSvg(prisma, sweep.id, kind);
        if (svg === null) missingPlots.push({ name: kind.name, reason: sweepPlots.noDataReason(sweep.id, kind) });
        else plots.push({ name: kind.name, description: kind.description, svg });
      }
      const [counts, varying, provenance, failures, tables] = await Promise.all([
        sweepCounts(prisma, sweep.id),
        reportQuery.varyingParamsOfSweep(prisma, sweep.id),
        reportQuery.trialProvenance(prisma, sweep.id),
        reportQuery.failedTrialsOf(prisma, sweep.id, FAILED_TRIALS_SHOWN),
        reportTables(prisma, sweep),
      ]);
      const html = renderReport({
        sweep,
        counts,
        varying,
        tables,
        plots,
        missingPlots,
        provenance,
        environment: { node: process.version, codeRevision: codeRevision(), packages: installedVersions() },
        failures,
        generatedAt: new Date(),
      });
      const file = values.out ?? join('reports', `${sweep.id}.html`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, html);
      console.log(file);
      return 0;
    } finally {
      await prisma.$disconnect();
    }
  },
};
