/**
 * Ending the `sweep` process without losing output. process.exit() does not wait
 * for a pipe to take what stdout still buffers (e.g. `submit --dry-run --json | jq`
 * got only its first 64 KB), and leaving the exit to the event loop is no option:
 * open gRPC channels and pools would keep a finished command alive.
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map(flushed));
  process.exit(code);
}

/** A write's callback runs once every earlier write has been handed to the OS, or has failed. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // A reader that went away (`sweep ... | head`: EPIPE) wants no more output; that is no crash.
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}
