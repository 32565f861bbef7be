/**
 * What a fault scenario is judged by (issue 15): of the trials expected, how
 * many are done, lost (no result once the sweep has ended), written twice, and
 * left `running` with no live workflow to finish them.
 *
 * "Written twice" is measured in the database, not taken from our own code's
 * word: `installResultAudit` adds a trigger that notes every write of a result
 * (an UPDATE that leaves the row `done` with a new finishedAt) in a table of its
 * own, so a second result landing on a trial would show there whatever path
 * wrote it.
 */
import pg from 'pg';
import type { TestStack } from './stack';

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

/**
 * Counts the sweep's trials once its workflow has closed, prints the scenario's
 * line, and returns the counts (the test asserts them).
 */
export async function faultCounts(stack: TestStack, scenario: string, sweepName: string, expected: number): Promise<FaultCounts> {
  const { sweep, trials } = await stack.trialsOf(sweepName);
  const { status } = await stack.client.workflow.getHandle(sweep.workflowId).describe();
  if (status.name === 'RUNNING') throw new Error(`count ${sweepName} once its workflow has closed (it is running)`);
  const writes = await resultWrites(stack.databaseUrl, sweep.id);
  const perKey = new Map<string, number>();
  for (const w of writes) perKey.set(w.key, (perKey.get(w.key) ?? 0) + 1);
  const done = trials.filter((t) => t.status === 'done').length;
  const counts: FaultCounts = {
    expected,
    done,
    lost: expected - done,
    writtenTwice: [...perKey.values()].filter((n) => n > 1).length,
    // The sweep's workflow has closed: nothing will finish a trial still marked running.
    runningOrphans: trials.filter((t) => t.status === 'running').length,
  };
  console.log(
    `[fault] ${scenario}: expected ${counts.expected}, done ${counts.done}, lost ${counts.lost}, ` +
      `written twice ${counts.writtenTwice}, left running with no live workflow ${counts.runningOrphans}`,
  );
  return counts;
}

/** The counts every scenario must end with: all done, none lost, none written twice, none orphaned. */
export function cleanCounts(expected: number): FaultCounts {
  return { expected, done: expected, lost: 0, writtenTwice: 0, runningOrphans: 0 };
}
