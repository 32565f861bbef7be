/**
 * Secrets out of what sweeplab prints: a connection string loses its password,
 * and any text (an error message that quotes a URL or a header) loses every
 * secret sweeplab knows of here: the database password and the Temporal API key.
 */
import { databaseUrl } from '../config';
import { readSecret } from './credential';

const MASK = '***';

/** postgresql://user:secret@host/db → postgresql://user:***@host/db; anything unparsable is left as it is. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = MASK;
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The secret values configured for this process (none shorter than 4 characters: masking those would mangle text). */
export function knownSecrets(): string[] {
  const secrets: string[] = [];
  const add = (read: () => string | undefined): void => {
    try {
      const value = read();
      if (value && value.length >= 4) secrets.push(value, encodeURIComponent(value));
    } catch {
      // An unreadable setting is reported where it is used; here it simply has nothing to mask.
    }
  };
  add(() => decodeURIComponent(new URL(databaseUrl()).password));
  add(() => readSecret(process.env, 'TEMPORAL_API_KEY'));
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, secrets: readonly string[] = knownSecrets()): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
