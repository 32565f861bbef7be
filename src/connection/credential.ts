/**
 * Credentials from environment variables. Each may hold the value itself or
 * the path of a file that holds it (so a key need not sit in the environment,
 * and Kubernetes secrets mounted as files work as they are). Errors name the
 * variable and the file, never the value.
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../config';

const PEM_HEADER = '-----BEGIN ';

/** An environment value, with '' counting as unset. */
export function setting(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = env[variable];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * PEM text: inline in the variable, or read from the file it names. `secret`
 * (a private key): a value that does not look like a file name is never
 * repeated in a message, as it may be a mangled key.
 */
export function readPem(env: NodeJS.ProcessEnv, variable: string, what: string, secret = false): Buffer | undefined {
  const value = setting(env, variable);
  if (value === undefined) return undefined;
  if (value.includes(PEM_HEADER)) return Buffer.from(value);
  const shown = !secret || looksLikeFileName(value) ? value : 'the file it names';
  const text = readNamedFile(variable, value, shown, 'PEM text');
  if (!text.includes(PEM_HEADER)) {
    throw new ConfigurationError(variable, `${shown} holds no PEM ${what} (no '${PEM_HEADER}…' line)`);
  }
  return Buffer.from(text);
}

/** A path of ordinary names ending in one with an extension (client.key), which a base64 blob is not. */
function looksLikeFileName(value: string): boolean {
  return value.length <= 255 && /^[\w./~-]+$/.test(value) && /\.[A-Za-z0-9]+$/.test(value);
}

/**
 * A secret string (an API key): the value itself, or, when it is written as a
 * path (starting with '/', './' or '../'), the trimmed contents of that file.
 */
export function readSecret(env: NodeJS.ProcessEnv, variable: string): string | undefined {
  const value = setting(env, variable);
  if (value === undefined) return undefined;
  if (!/^\.{0,2}\//.test(value)) return value.trim();
  const text = readNamedFile(variable, value, value, 'the key').trim();
  if (text === '') throw new ConfigurationError(variable, `${value} is empty`);
  return text;
}

/** `holds`: what the variable holds when it holds no path ('PEM text', 'the key'), for the message. */
function readNamedFile(variable: string, path: string, shown: string, holds: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (code ?? 'unreadable');
    throw new ConfigurationError(variable, `cannot read ${shown}: ${why} (${variable} holds ${holds} or a file's path)`);
  }
}
