/**
 * Limits of a sweep that the sweep language checks and the orchestrator enforces
 * (src/contracts.ts re-exports them for the workflows and the client). No
 * imports: workflow code may load this module.
 */

/** Trials of one sweep in flight at once, whatever its settings (`concurrency` is checked and capped to it). */
export const MAX_IN_FLIGHT = 500;

/** Trials one sweep may expand to: refused beyond, as it would not fit comfortably in memory or in one workflow's history. */
export const MAX_TRIALS = 1_000_000;
