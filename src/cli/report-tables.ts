/**
 * The tables of `sweep report`: every table preset of the sweep's family
 * (src/experiments/<family>/tables.ts), as `sweep table SWEEP --preset NAME
 * --format html` prints them, one ReportTable per table. A preset this sweep
 * cannot fill (a metric its trials do not report, a parameter it lacks) is
 * shown as a note saying why, so the report still has the others.
 */
import type { PrismaClient } from '../db/client';
import type { Sweep } from '../db/generated/client';
import { presetTables, tablePresetsOf } from '../db/sweep-tables';
import { formatTable } from '../results/format';
import { escapeHtml } from '../results/report/html';
import type { ReportTable } from '../results/report/report-model';
import { TableRequestError } from '../results/table-request-error';

export type ReportTables = (prisma: PrismaClient, sweep: Sweep) => Promise<ReportTable[]>;

export const reportTables: ReportTables = async (prisma, sweep) => {
  const tables: ReportTable[] = [];
  for (const [name, preset] of Object.entries(tablePresetsOf(sweep.family))) {
    const heading = `${name}: ${preset.description}`;
    try {
      const set = await presetTables(prisma, sweep, { preset: name });
      for (const section of set.sections) {
        for (const model of section.tables) {
          const title = set.sections.length > 1 && section.metric !== null ? `${heading} (${section.metric})` : heading;
          tables.push({ title, html: formatTable(model, { format: 'html', best: set.layout.best, metric: section.metric ?? 'value' }) });
        }
      }
    } catch (error) {
      if (!(error instanceof TableRequestError)) throw error;
      tables.push({ title: heading, html: `<p class="note">Not available for this sweep: ${escapeHtml(error.message)}</p>` });
    }
  }
  return tables;
};
