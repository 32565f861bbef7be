#!/usr/bin/env node
// The `sweep` command: registers tsx so sweep files (TypeScript) and our sources load directly, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const { exitWhenFlushed } = await import('../src/cli/exit-when-flushed.ts');
await exitWhenFlushed(await main(process.argv.slice(2)));
