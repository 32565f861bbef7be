/**
 * Limits of a sweep that the sweep language checks and the orchestrator enforces
 * (src/contracts.ts re-exports them for the workflows and the client). No
 * imports: workflow code may load this module.
 */

/** Trials of one sweep in flight at once, whatever its settings (`concurrency` is checked and capped to it). */
export const MAX_IN_FLIGHT = 500;
