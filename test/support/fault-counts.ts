/**
 * What a fault scenario is judged by (issue 15): of the trials expected, how
 * many are done, lost (no result once the sweep has ended), written twice, and
 * left `running` with no live workflow to finish them.
 *
 * "Written twice" is measured in the database, not taken from our own code's
 * word: `installResultAudit` adds a trigger that notes every write of a result
 * (an UPDATE that leaves the row `done` with a new finishedAt) in a table of its
 * own, so a second result landing on a trial would show there whatever path
 * wrote it. A scenario installs it before its sweep starts.
 */
import pg from 'pg';
import type { Client } from '@temporalio/client';

const AUDIT_SQL = `
CREATE TABLE IF NOT EXISTS fault_result_writes (
  key text NOT NULL,
  attempt int NOT NULL,
  host text,
  finished_at timestamptz,
  written_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE OR REPLACE FUNCTION fault_note_result() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'done' AND (OLD.status IS DISTINCT FROM 'done' OR NEW."finishedAt" IS DISTINCT FROM OLD."finishedAt") THEN
    INSERT INTO fault_result_writes (key, attempt, host, finished_at) VALUES (NEW.key, NEW.attempts, NEW.host, NEW."finishedAt");
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS fault_note_result ON "Trial";
CREATE TRIGGER fault_note_result AFTER UPDATE ON "Trial" FOR EACH ROW EXECUTE FUNCTION fault_note_result();
`;

export async function installResultAudit(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(AUDIT_SQL);
  } finally {
    await client.end();
  }
}

export interface ResultWrite {
  readonly key: string;
  readonly attempt: number;
  readonly host: string | null;
  readonly finishedAt: Date | null;
  readonly writtenAt: Date;
}

/** Every result write that landed on the sweep's trials, oldest first. */
export async function resultWrites(databaseUrl: string, sweepId: string): Promise<ResultWrite[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string; attempt: number; host: string | null; finished_at: Date | null; written_at: Date }>(
      `SELECT w.key, w.attempt, w.host, w.finished_at, w.written_at
         FROM fault_result_writes w
         JOIN "Trial" t ON t.key = w.key
         JOIN "SweepTrial" st ON st."trialId" = t.id AND st."sweepId" = $1
        ORDER BY w.written_at`,
      [sweepId],
    );
    return rows.map((r) => ({ key: r.key, attempt: r.attempt, host: r.host, finishedAt: r.finished_at, writtenAt: r.written_at }));
  } finally {
    await client.end();
  }
}

export interface FaultCounts {
  readonly expected: number;
  readonly done: number;
  readonly lost: number;
  readonly writtenTwice: number;
  readonly runningOrphans: number;
}

/** Where the counts are read: the results database, and Temporal to see that the sweep's workflow has closed. */
export interface CountsSource {
  readonly databaseUrl: string;
  readonly client: Client;
}

/**
 * Counts the sweep's trials once its workflow has closed, prints the scenario's
 * line, and returns the counts (the test asserts them). A trial is written twice
 * if the audit saw two result writes land on it, or if it holds more metric rows
 * than one result writes (`pointsPerResult`, when given) or a point twice.
 */
export async function faultCounts(
  source: CountsSource,
  scenario: string,
  sweepName: string,
  expected: number,
  options: { pointsPerResult?: number } = {},
): Promise<FaultCounts> {
  const db = new pg.Client({ connectionString: source.databaseUrl });
  await db.connect();
  try {
    const sweep = await db.query<{ id: string; workflowId: string }>('SELECT id, "workflowId" FROM "Sweep" WHERE name = $1 ORDER BY "createdAt" DESC LIMIT 1', [sweepName]);
    const { id, workflowId } = sweep.rows[0] ?? (() => { throw new Error(`no sweep named ${sweepName}`); })();
    const { status } = await source.client.workflow.getHandle(workflowId).describe();
    if (status.name === 'RUNNING') throw new Error(`count ${sweepName} once its workflow has closed (it is running)`);
    const { rows: trials } = await db.query<{ key: string; status: string; rows: number; points: number }>(
      `SELECT t.key, t.status,
              (SELECT count(*) FROM "Metric" m WHERE m."trialId" = t.id)::int AS rows,
              (SELECT count(DISTINCT (m.name, m.step)) FROM "Metric" m WHERE m."trialId" = t.id)::int AS points
         FROM "SweepTrial" st JOIN "Trial" t ON t.id = st."trialId" WHERE st."sweepId" = $1`,
      [id],
    );
    const writes = await resultWrites(source.databaseUrl, id);
    const perKey = new Map<string, number>();
    for (const w of writes) perKey.set(w.key, (perKey.get(w.key) ?? 0) + 1);
    const twice = trials.filter(
      (t) => (perKey.get(t.key) ?? 0) > 1 || t.points < t.rows || (options.pointsPerResult !== undefined && t.rows > options.pointsPerResult),
    );
    const done = trials.filter((t) => t.status === 'done').length;
    const counts: FaultCounts = {
      expected,
      done,
      lost: expected - done,
      writtenTwice: twice.length,
      // The sweep's workflow has closed: nothing will finish a trial still marked running.
      runningOrphans: trials.filter((t) => t.status === 'running').length,
    };
    console.log(
      `[fault] ${scenario}: expected ${counts.expected}, done ${counts.done}, lost ${counts.lost}, ` +
        `written twice ${counts.writtenTwice}, left running with no live workflow ${counts.runningOrphans}`,
    );
    return counts;
  } finally {
    await db.end();
  }
}

/** The counts every scenario must end with: all done, none lost, none written twice, none orphaned. */
export function cleanCounts(expected: number): FaultCounts {
  return { expected, done: expected, lost: 0, writtenTwice: 0, runningOrphans: 0 };
}
