/**
 * Test files in an order that keeps every vitest worker busy to the end: the
 * files that each hold a real Temporal server and workers for tens of seconds
 * (mostly waiting on heartbeats, retries and timers) start first, so the short
 * CPU-bound unit and numerical files fill the time around them instead of
 * leaving one long file running alone at the end. Vitest's own order needs
 * durations from an earlier run, which a fresh CI clone does not have.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Earlier = started sooner. */
const TIERS = ['test/integration/', 'test/faults/', 'test/browser/', 'test/workflows/', 'test/numerical/', 'test/unit/'];

function tier(spec: TestSpecification): number {
  const path = relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/');
  const at = TIERS.findIndex((prefix) => path.startsWith(prefix));
  return at < 0 ? TIERS.length : at;
}

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Within a tier, vitest's order (longest first when it has earlier durations).
    const withinTier = await super.sort(files);
    return withinTier.map((spec, index) => ({ spec, index })).sort((a, b) => tier(a.spec) - tier(b.spec) || a.index - b.index).map(({ spec }) => spec);
  }
}
