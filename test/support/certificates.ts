/**
 * Throwaway certificates for TLS tests, made with `openssl` in a temp dir: a CA,
 * a server certificate for localhost and 127.0.0.1, a client certificate for
 * mTLS, and a second CA that signed none of them (the "wrong CA"). ECDSA P-256
 * keys: fast to make, and every TLS stack here accepts them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertificatePair {
  /** Paths of the PEM files. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
}

export interface TestCertificates {
  readonly dir: string;
  readonly ca: CertificatePair;
  /** For CN=localhost with subjectAltName DNS:localhost, IP:127.0.0.1. */
  readonly server: CertificatePair;
  /** For CN=sweeplab-client, extendedKeyUsage clientAuth, signed by `ca`. */
  readonly client: CertificatePair;
  /** A CA that signed nothing here. */
  readonly otherCa: CertificatePair;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function pair(dir: string, name: string): CertificatePair {
  const certFile = join(dir, `${name}.pem`);
  const keyFile = join(dir, `${name}.key`);
  return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string, subject: string): CertificatePair {
  openssl(dir, [
    'req', '-x509', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return pair(dir, name);
}

function makeLeaf(dir: string, name: string, subject: string, extensions: string, ca: string): CertificatePair {
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['req', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`,
  ]);
  return pair(dir, name);
}

export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'sweeplab-certs-'));
  const ca = makeCa(dir, 'ca', '/CN=sweeplab test CA');
  const otherCa = makeCa(dir, 'other-ca', '/CN=some other CA');
  const leaf = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n';
  const server = makeLeaf(dir, 'server', '/CN=localhost', `${leaf}extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n`, 'ca');
  const client = makeLeaf(dir, 'client', '/CN=sweeplab-client', `${leaf}extendedKeyUsage=clientAuth\n`, 'ca');
  return { dir, ca, server, client, otherCa };
}
