/**
 * The one line of counts a fault scenario prints and asserts: trials expected /
 * done / lost / written twice / left running with no live workflow.
 *
 * - done: status 'done';
 * - lost: expected trials without a final result ('done' or 'failed'), other
 *   than those counted as running with no live workflow (and missing rows);
 * - written twice: trials with more metric rows than one result writes
 *   (`pointsPerResult`), or the same (name, step) point more than once;
 * - running with no live workflow: status 'running' while the sweep's
 *   workflow is no longer running (nothing will ever finish them).
 */
import pg from 'pg';

export interface FaultCounts {
  readonly expected: number;
  readonly done: number;
  readonly lost: number;
  readonly writtenTwice: number;
  readonly orphanedRunning: number;
}

export async function faultCounts(options: {
  readonly databaseUrl: string;
  readonly sweepName: string;
  readonly expected: number;
  /** Metric rows one result of a trial writes. */
  readonly pointsPerResult: number;
  /** Whether the workflow of that id still runs (a Temporal describe). */
  readonly workflowRunning: (workflowId: string) => Promise<boolean>;
}): Promise<FaultCounts> {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const sweep = await db.query<{ id: string; workflowId: string }>(
      'SELECT id, "workflowId" FROM "Sweep" WHERE name = $1 ORDER BY "createdAt" DESC LIMIT 1',
      [options.sweepName],
    );
    if (sweep.rowCount === 0) return { expected: options.expected, done: 0, lost: options.expected, writtenTwice: 0, orphanedRunning: 0 };
    const { id, workflowId } = sweep.rows[0]!;
    const trials = await db.query<{ status: string; rows: number; points: number }>(
      `SELECT t.status,
              (SELECT count(*) FROM "Metric" m WHERE m."trialId" = t.id)::int AS rows,
              (SELECT count(DISTINCT (m.name, m.step)) FROM "Metric" m WHERE m."trialId" = t.id)::int AS points
       FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId" WHERE st."sweepId" = $1`,
      [id],
    );
    const running = trials.rows.filter((t) => t.status === 'running').length;
    const orphanedRunning = running > 0 && !(await options.workflowRunning(workflowId)) ? running : 0;
    const final = trials.rows.filter((t) => t.status === 'done' || t.status === 'failed').length;
    return {
      expected: options.expected,
      done: trials.rows.filter((t) => t.status === 'done').length,
      lost: options.expected - final - orphanedRunning,
      writtenTwice: trials.rows.filter((t) => t.rows > options.pointsPerResult || t.points < t.rows).length,
      orphanedRunning,
    };
  } finally {
    await db.end();
  }
}

export function countsLine(scenario: string, counts: FaultCounts): string {
  return (
    `${scenario}: trials expected ${counts.expected} / done ${counts.done} / lost ${counts.lost} / ` +
    `written twice ${counts.writtenTwice} / left running with no live workflow ${counts.orphanedRunning}`
  );
}
