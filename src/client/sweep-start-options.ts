/**
 * What a sweep workflow is started with besides its input, so the web UI reads
 * like the sweep: the search attributes it filters on (SweepStatus starts as
 * `running`, and the sweep keeps it current), a memo with the spec's summary,
 * and a static summary and details (src/sweep/sweep-summary.ts).
 */
import type { SearchAttributePair } from '@temporalio/common';
import type { LoadedSweep } from '../sweep/loaded-sweep';
import { sweepDetails, sweepMemo, sweepSummary } from '../sweep/sweep-summary';
import { FamilyAttribute, SweepIdAttribute, SweepNameAttribute, SweepStatusAttribute } from '../workflows/definitions';
import type { SweepIdentity } from '../workflows/types';

export function sweepSearchAttributes({ sweepId, name, family }: SweepIdentity): SearchAttributePair[] {
  return [
    { key: SweepIdAttribute, value: sweepId },
    { key: SweepNameAttribute, value: name },
    { key: FamilyAttribute, value: family },
    { key: SweepStatusAttribute, value: 'running' },
  ];
}

export function sweepStartOptions(identity: SweepIdentity, loaded: LoadedSweep, total: number) {
  return {
    typedSearchAttributes: sweepSearchAttributes(identity),
    memo: { ...sweepMemo(loaded, total) },
    staticSummary: sweepSummary(loaded, total),
    staticDetails: sweepDetails(loaded, total),
  };
}
