/**
 * Entry point of a trial process. The worker forks one per trial, so a trial
 * that crashes, leaks or hangs takes down only itself, and cancelling it is a kill.
 */
import { executeTrial } from './execute-trial';
import type { StartMessage, TrialMessage } from './trial-protocol';

function send(message: TrialMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

// If the worker dies, the IPC channel closes: stop rather than train for nobody.
process.on('disconnect', () => process.exit(75));
process.once('message', (start: StartMessage) => {
  void executeTrial(start, (message) => void send(message))
    .then(send)
    .then(() => process.exit(0));
});
