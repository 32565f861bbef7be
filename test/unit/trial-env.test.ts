/** What a trial process inherits from its worker: what training needs, none of the worker's credentials. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allowedInTrials, trialProcessEnv } from '../../src/worker/trial-env';

const WORKER_ENV = {
  PATH: '/usr/bin',
  HOME: '/home/lab',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  TF_CPP_MIN_LOG_LEVEL: '2',
  CUDA_VISIBLE_DEVICES: '0',
  LD_LIBRARY_PATH: '/opt/cuda/lib64',
  SWEEP_TFJS_BACKEND: 'node',
  SWEEP_STATE_DIR: '/lab/.sweep',
  DATABASE_URL: 'postgresql://sweeplab:pw@db/sweeplab',
  PGSSLROOTCERT: '/etc/ssl/db-ca.pem',
  FASHION_MNIST_DIR: '/data/fashion',
  TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
  TEMPORAL_NAMESPACE: 'ns.acct',
  TEMPORAL_API_KEY: 'tk_live_secret',
  TEMPORAL_TLS_CERT: '/etc/temporal/client.pem',
  TEMPORAL_TLS_KEY: '/etc/temporal/client.key',
  TEMPORAL_TLS_CA: '/etc/temporal/ca.pem',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  GITHUB_TOKEN: 'ghp_token',
};

describe('trialProcessEnv', () => {
  it('keeps what training needs and names everything else to be left out', () => {
    const env = trialProcessEnv({ TF_NUM_INTRAOP_THREADS: '4' }, WORKER_ENV);
    const kept = Object.keys(WORKER_ENV).filter((name) => !(name in env));
    expect(kept.sort()).toEqual(
      ['CUDA_VISIBLE_DEVICES', 'DATABASE_URL', 'FASHION_MNIST_DIR', 'HOME', 'LANG', 'LC_ALL', 'LD_LIBRARY_PATH', 'PATH', 'PGSSLROOTCERT', 'SWEEP_STATE_DIR', 'SWEEP_TFJS_BACKEND', 'TF_CPP_MIN_LOG_LEVEL'].sort(),
    );
    for (const dropped of ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA', 'TEMPORAL_ADDRESS', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN']) {
      expect(env).toHaveProperty(dropped, undefined);
    }
    expect(env.TF_NUM_INTRAOP_THREADS).toBe('4');
  });

  it('through the merge the trial activities make, a child process sees exactly the allowed variables', () => {
    const extra = trialProcessEnv({ TF_NUM_INTRAOP_THREADS: '4' }, WORKER_ENV);
    // As src/activities/trial-process.ts forks: { ...process.env, ...options.env }.
    const seen = execFileSync('/usr/bin/env', { env: { ...WORKER_ENV, ...extra } as NodeJS.ProcessEnv, encoding: 'utf8' });
    const names = seen.trim().split('\n').map((line) => line.slice(0, line.indexOf('=')));
    expect(names.every(allowedInTrials)).toBe(true);
    expect(seen).not.toMatch(/tk_live_secret|client\.key|aws-secret|ghp_token/);
    expect(seen).toContain('TF_NUM_INTRAOP_THREADS=4');
    expect(seen).toContain('DATABASE_URL=postgresql://sweeplab:pw@db/sweeplab');
  });
});
