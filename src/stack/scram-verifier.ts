/**
 * A PostgreSQL SCRAM-SHA-256 password verifier (what `pg_authid.rolpassword`
 * stores), computed here so the password itself never reaches the server, its
 * log or initdb's password file: Postgres stores a string in this format as
 * it is (RFC 5802, RFC 7677; the format of src/common/scram-common.c).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** Postgres's default (scram_iterations). */
const ITERATIONS = 4096;

export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): string {
  // SASLprep is the identity on the printable ASCII our generated passwords use.
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
