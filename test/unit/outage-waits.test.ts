/**
 * The waits that let a sweep ride out its servers' outages: which errors mean
 * "unreachable" (and only those are waited on), the backoff loops' bounds, and
 * the silence watchdog that finds hung trial processes.
 */
import { describe, expect, it, vi } from 'vitest';
import { untilDatabaseAnswers } from '../../src/activities/until-database-answers';
import { watchForSilence } from '../../src/activities/silence-watchdog';
import { isTemporalUnavailable, whileTemporalIsDown } from '../../src/client/temporal-outage';
import { isDatabaseUnreachable } from '../../src/db/database-unreachable';

describe('isDatabaseUnreachable', () => {
  it('knows the shapes an outage takes', () => {
    expect(isDatabaseUnreachable({ code: 'P1001', message: "Can't reach database server" })).toBe(true);
    expect(isDatabaseUnreachable({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } } })).toBe(true);
    expect(isDatabaseUnreachable({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '57P01' } } } })).toBe(true);
    expect(isDatabaseUnreachable(new Error('wrapped', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('does not wait on errors that waiting cannot heal', () => {
    expect(isDatabaseUnreachable({ code: 'P2002', message: 'Unique constraint failed' })).toBe(false);
    expect(isDatabaseUnreachable({ code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '42601' } } } })).toBe(false);
    expect(isDatabaseUnreachable({ code: '28P01', message: 'password authentication failed' })).toBe(false);
    expect(isDatabaseUnreachable(new Error('syntax error at or near "nope"'))).toBe(false);
    expect(isDatabaseUnreachable(null)).toBe(false);
  });
});

describe('untilDatabaseAnswers', () => {
  const unreachable = () => Object.assign(new Error("Can't reach database server"), { code: 'P1001' });

  it('retries while unreachable, says so once each way, and returns the answer', async () => {
    const work = vi.fn().mockRejectedValueOnce(unreachable()).mockRejectedValueOnce(unreachable()).mockResolvedValue(42);
    const log: string[] = [];
    await expect(untilDatabaseAnswers('writing', work, { deadline: Date.now() + 10_000, initialDelayMs: 1, log: (m) => log.push(m) })).resolves.toBe(42);
    expect(work).toHaveBeenCalledTimes(3);
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^writing: the database is unreachable .*retrying until it answers$/);
    expect(log[1]).toMatch(/^writing: the database answers again after/);
  });

  it('throws any other error at once, and the outage past its deadline', async () => {
    const constraint = Object.assign(new Error('Unique constraint failed'), { code: 'P2002' });
    const failing = vi.fn().mockRejectedValue(constraint);
    await expect(untilDatabaseAnswers('writing', failing, { deadline: Date.now() + 10_000, initialDelayMs: 1 })).rejects.toBe(constraint);
    expect(failing).toHaveBeenCalledTimes(1);
    const down = vi.fn().mockRejectedValue(unreachable());
    await expect(untilDatabaseAnswers('writing', down, { deadline: Date.now() + 50, initialDelayMs: 5 })).rejects.toMatchObject({ code: 'P1001' });
    expect(down.mock.calls.length).toBeGreaterThan(1);
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const waiting = untilDatabaseAnswers('marking', () => Promise.reject(unreachable()), { deadline: Date.now() + 60_000, initialDelayMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(waiting).rejects.toBe(reason);
  });
});

describe('isTemporalUnavailable', () => {
  it('is true for UNAVAILABLE and DEADLINE_EXCEEDED, on the error or its cause, and refused connections', () => {
    expect(isTemporalUnavailable(new Error('Failed to describe workflow', { cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }) }))).toBe(true);
    expect(isTemporalUnavailable(Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 }))).toBe(true);
    expect(isTemporalUnavailable(new Error('connect ECONNREFUSED 127.0.0.1:7233'))).toBe(true);
  });

  it('is false for errors a wait cannot heal', () => {
    expect(isTemporalUnavailable(Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 }))).toBe(false);
    expect(isTemporalUnavailable(Object.assign(new Error('16 UNAUTHENTICATED'), { code: 16 }))).toBe(false);
    expect(isTemporalUnavailable(new Error('boom'))).toBe(false);
  });
});

describe('whileTemporalIsDown', () => {
  const down = () => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });

  it('waits, says where and that it waits, then says it is back', async () => {
    const said: string[] = [];
    const work = vi.fn().mockRejectedValueOnce(down()).mockResolvedValue('RUNNING');
    await expect(whileTemporalIsDown('following the sweep', work, { where: '127.0.0.1:7233', say: (l) => said.push(l), initialDelayMs: 1 })).resolves.toBe('RUNNING');
    expect(said[0]).toBe('Temporal at 127.0.0.1:7233 is unavailable while following the sweep: waiting for it to come back (Ctrl-C to stop; the sweep itself goes on)');
    expect(said[1]).toMatch(/^Temporal at 127\.0\.0\.1:7233 answers again, after \d+\.\d s$/);
  });

  it('gives up after its limit, and passes other errors through at once', async () => {
    await expect(whileTemporalIsDown('x', () => Promise.reject(down()), { where: 'h', say: () => undefined, initialDelayMs: 5, giveUpAfterMs: 30 })).rejects.toMatchObject({ code: 14 });
    const notFound = Object.assign(new Error('not found'), { code: 5 });
    const work = vi.fn().mockRejectedValue(notFound);
    await expect(whileTemporalIsDown('x', work, { where: 'h', say: () => undefined })).rejects.toBe(notFound);
    expect(work).toHaveBeenCalledTimes(1);
  });
});

describe('watchForSilence', () => {
  it('fires once after the limit without a word, and not while words keep coming', async () => {
    vi.useFakeTimers();
    try {
      const silent = vi.fn();
      const chatty = vi.fn();
      const quiet = watchForSilence(1000, 0, silent);
      const talking = watchForSilence(1000, 0, chatty);
      for (let t = 0; t < 3000; t += 250) {
        talking.heard();
        await vi.advanceTimersByTimeAsync(250);
      }
      expect(silent).toHaveBeenCalledTimes(1);
      expect(silent.mock.calls[0]![0]).toBeGreaterThanOrEqual(1000);
      expect(chatty).not.toHaveBeenCalled();
      quiet.stop();
      talking.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a process that is starting up its grace before the first word, and never fires without a limit', async () => {
    vi.useFakeTimers();
    try {
      const starting = vi.fn();
      const unlimited = vi.fn();
      const dog = watchForSilence(1000, 5000, starting);
      const none = watchForSilence(undefined, 0, unlimited);
      await vi.advanceTimersByTimeAsync(4000);
      expect(starting).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1500);
      expect(starting).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(unlimited).not.toHaveBeenCalled();
      dog.stop();
      none.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
