/**
 * The ArtifactStore over the results database's Artifact table, through one
 * dedicated `pg` connection: Postgres session advisory locks belong to a
 * connection, so the lock, the re-check and the store must all go through the
 * same one (a pool could hand each query to a different connection).
 *
 * The lock id is the first 64 bits of sha256(key). If the process holding it
 * dies (a killed trial), its connection closes and Postgres releases the lock,
 * so a waiting trial then finds no artifact and builds it itself.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ArtifactStore, StoredArtifact } from './store';

/** The signed 64-bit advisory lock id of a key, as a decimal string (pg bigint). */
export function advisoryLockId(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

export class PostgresArtifactStore implements ArtifactStore {
  private constructor(private readonly client: pg.Client) {}

  static async connect(url: string): Promise<PostgresArtifactStore> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    // A dropped connection also emits 'error'; without a listener that would crash the
    // trial process. The failure still surfaces: the next query on this client rejects.
    client.on('error', () => {});
    await client.connect();
    return new PostgresArtifactStore(client);
  }

  async get(key: string): Promise<StoredArtifact | null> {
    const { rows } = await this.client.query<{ key: string; kind: string; bytes: Buffer | null; meta: Record<string, unknown> | null }>(
      'SELECT key, kind, bytes, meta FROM "Artifact" WHERE key = $1',
      [key],
    );
    const row = rows[0];
    if (!row || !row.bytes) return null;
    return { key: row.key, kind: row.kind, bytes: new Uint8Array(row.bytes), meta: row.meta ?? {} };
  }

  async put(artifact: StoredArtifact): Promise<void> {
    await this.client.query(
      'INSERT INTO "Artifact" (key, kind, bytes, meta) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
      [artifact.key, artifact.kind, Buffer.from(artifact.bytes.buffer, artifact.bytes.byteOffset, artifact.bytes.byteLength), JSON.stringify(artifact.meta)],
    );
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const id = advisoryLockId(key);
    await this.client.query('SELECT pg_advisory_lock($1::bigint)', [id]);
    try {
      return await fn();
    } finally {
      await this.client.query('SELECT pg_advisory_unlock($1::bigint)', [id]);
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
