// Everything the worker's workflow bundle registers. Workflow code only: no I/O, no clocks, no randomness.
export { sweepWorkflow } from './sweep-workflow';
export { trialWorkflow } from './trial-workflow';
