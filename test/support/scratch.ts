/**
 * Where the test servers (Temporal's SQLite file, Postgres's data directory) keep
 * their data: in RAM (/dev/shm) when it has room, else the temp dir. A test server
 * needs no durability, and on disk every commit waits for an fsync: a 300-trial
 * sweep took 130-170 s with both on this host's disk and 37-55 s in /dev/shm,
 * and the Temporal server used half the CPU. SWEEPLAB_TEST_DATA_DIR names another place.
 */
import { mkdtempSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RAM_DIR = '/dev/shm';
/** A Postgres cluster and a Temporal database of a test file take well under this. */
const ROOM_NEEDED = 512 * 1024 * 1024;

function hasRoom(dir: string): boolean {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize >= ROOM_NEEDED;
  } catch {
    return false;
  }
}

export function serverDataRoot(): string {
  return process.env.SWEEPLAB_TEST_DATA_DIR || (hasRoom(RAM_DIR) ? RAM_DIR : tmpdir());
}

/** A fresh directory for one test server's data; the caller deletes it. */
export function makeServerDataDir(prefix: string): string {
  return mkdtempSync(join(serverDataRoot(), prefix));
}
