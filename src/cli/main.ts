/**
 * The `sweep` command. Exit codes: 0 ok, 1 failure, 2 bad input.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../config';
import { redactSecrets } from '../connection/redact';
import { SweepInputError } from '../sweep/errors';
import type { Command } from './command';
import { cancelCommand, pauseCommand, resumeCommand } from './commands/control-signals';
import { dbCommand } from './commands/db';
import { devCommand } from './commands/dev';
import { doctorCommand } from './commands/doctor';
import { lsCommand } from './commands/ls';
import { plotCommand } from './commands/plot';
import { reportCommand } from './commands/report';
import { statusCommand } from './commands/status';
import { submitCommand } from './commands/submit';
import { tableCommand } from './commands/table';
import { trialsCommand } from './commands/trials';
import { watchCommand } from './commands/watch';
import { workerCommand } from './commands/worker';
import { exitWhenFlushed } from './exit-when-flushed';
import { UsageError } from './usage-error';

const commands: Command[] = [
  submitCommand,
  lsCommand,
  statusCommand,
  trialsCommand,
  watchCommand,
  cancelCommand,
  pauseCommand,
  resumeCommand,
  tableCommand,
  plotCommand,
  reportCommand,
  workerCommand,
  dbCommand,
  devCommand,
  doctorCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'sweep: declarative experiment sweeps on Temporal, results in Postgres',
    '',
    'Usage: sweep COMMAND [options]   (sweep COMMAND --help for its options)',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Configuration: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_UI_URL, DATABASE_URL,',
    'TEMPORAL_TLS, TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_SERVER_NAME,',
    'TEMPORAL_API_KEY, SWEEP_TFJS_BACKEND (gpu|node|wasm|cpu), FASHION_MNIST_DIR; see README.md.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`sweep: unknown command '${name}'\n\n${overview()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // Whatever a library put in its message (a URL, a header), no password or API key is printed.
    if (err instanceof UsageError || err instanceof SweepInputError) {
      console.error(redactSecrets(err.message));
      return 2;
    }
    if (err instanceof ConfigurationError) {
      console.error(`sweep ${name}: ${redactSecrets(err.message)}`);
      return 2;
    }
    console.error(`sweep ${name}: ${redactSecrets(err instanceof Error ? err.message : String(err))}`);
    if (process.env.SWEEP_DEBUG && err instanceof Error) console.error(redactSecrets(err.stack ?? ''));
    return 1;
  }
}

// Run when executed directly (bin/sweep.mjs, or a background `node --import tsx src/cli/main.ts`).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Workers return only at shutdown; open handles must not keep a finished command alive, nor exit cut its output short.
  await exitWhenFlushed(await main(process.argv.slice(2)));
}
