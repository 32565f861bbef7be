/** The code a trial ran with, recorded on every trial: SWEEP_CODE_REVISION, else the git commit (marked -dirty if modified). */
import { execFileSync } from 'node:child_process';

export function codeRevision(cwd = process.cwd()): string {
  if (process.env.SWEEP_CODE_REVISION) return process.env.SWEEP_CODE_REVISION;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
    return dirty ? `${commit}-dirty` : commit;
  } catch {
    return 'unknown';
  }
}
