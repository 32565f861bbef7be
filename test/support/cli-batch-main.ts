/**
 * Runs the CLI's main() once per argument list in this one process and prints
 * every run's exit code and output as JSON. Spawned by cli-batch.ts under the
 * same TypeScript loader as `sweep` itself (so a sweep file's syntax error
 * reads as it does for a user), it costs one process start for a whole corpus
 * instead of one per case (about a second each on 2 cores).
 */
import { format } from 'node:util';
import { main } from '../../src/cli/main';

export interface BatchRun {
  readonly argv: string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const runs = JSON.parse(process.argv[2] ?? '[]') as string[][];
const results: BatchRun[] = [];
const { log, error } = console;
for (const argv of runs) {
  let stdout = '';
  let stderr = '';
  console.log = (...args: unknown[]) => void (stdout += `${format(...args)}\n`);
  console.error = (...args: unknown[]) => void (stderr += `${format(...args)}\n`);
  let code: number;
  try {
    code = await main(argv);
  } catch (thrown) {
    // main() reports every error itself; reaching here is a bug worth seeing in the test.
    stderr += `main() threw: ${thrown instanceof Error ? thrown.stack : String(thrown)}\n`;
    code = 99;
  } finally {
    console.log = log;
    console.error = error;
  }
  results.push({ argv, code, stdout, stderr });
}
process.stdout.write(JSON.stringify(results), () => process.exit(0));
