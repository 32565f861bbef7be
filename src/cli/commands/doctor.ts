import { availableParallelism } from 'node:os';
import { probeBackend } from '../../experiments/probe-backend';
import { threadsPerTrial, trialThreadEnv } from '../../worker/trial-threads';
import { parseCommandArgs, positiveInt, type Command } from '../command';

/** What to do about each backend that was skipped, by the reason given. */
function remedy(note: string): string | undefined {
  if (/^tfjs backend gpu skipped: .*could not be loaded/.test(note)) {
    return 'on a CUDA 12 host, `bash infra/setup.sh --gpu` builds @tensorflow/tfjs-node-gpu offline';
  }
  if (/^tfjs backend node skipped: .*could not be loaded/.test(note)) {
    return '`bash infra/setup.sh` builds @tensorflow/tfjs-node from PyPI\'s tensorflow-cpu wheel (needs python3 -m pip, g++, make)';
  }
  return undefined;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'which tfjs backend a trial gets on this host, and why faster ones are unavailable',
  help: `Usage: sweep doctor [--slots N] [--json]

Starts a process that picks a tfjs backend exactly as a trial process on this host
would (order gpu, node, wasm, cpu; SWEEP_TFJS_BACKEND forces one), and prints the
backend, its TensorFlow version, the device, and for every faster backend the reason
it was skipped and how to install it. Exit code 1 when no backend works.

  --slots N   trials a worker here would run at once (default: one per core): each
              native trial gets cores / N intra-op threads, as the worker sets them
  --json      print the report as JSON`,
  async run(argv) {
    const { values } = parseCommandArgs('doctor', argv, { slots: { type: 'string' }, json: { type: 'boolean' } }, 0);
    const cores = availableParallelism();
    const slots = positiveInt('doctor', 'slots', values.slots) ?? cores;
    const threads = threadsPerTrial(cores, slots);
    const report = await probeBackend({ ...process.env, ...trialThreadEnv(threads) });
    if (values.json) {
      console.log(JSON.stringify({ cores, slots, threadsPerTrial: threads, ...report }, null, 2));
      return report.ok ? 0 : 1;
    }
    if (report.ok) {
      console.log(`backend   ${report.backend}  (${report.version})`);
      console.log(`device    ${report.device}`);
    } else {
      console.log(`backend   none: ${report.error}`);
    }
    console.log(`threads   ${cores} cores / ${slots} slot(s) → ${threads} intra-op thread(s) per native trial`);
    for (const note of report.notes) {
      console.log(`  - ${note.replace(/^tfjs backend /, '')}`);
      const fix = remedy(note);
      if (fix) console.log(`    fix: ${fix}`);
    }
    return report.ok ? 0 : 1;
  },
};
