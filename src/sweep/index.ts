/**
 * The sweep language: what sweep files import (`import { defineSweep, grid } from '../src/sweep'`)
 * and what the CLI uses to load them.
 */
export { defineSweep, isDefinedSweep } from './define';
export type {
  DefinedSweep,
  ExecutionDefinition,
  FamilyParamsInput,
  ParameterSpecs,
  PresetDefinition,
  RetryDefinition,
  SeedsDefinition,
  SweepDefinition,
  TimeoutsDefinition,
} from './define';
export { choice, grid, intUniform, logUniform, range, uniform, zip } from './value-specs';
export type {
  AnyParameterSpec,
  ChoiceSpec,
  GridSpec,
  IntUniformSpec,
  LogUniformSpec,
  RandomSpec,
  RangeSpec,
  UniformSpec,
  ValueSpec,
  ZipSpec,
} from './value-specs';
export type { Duration } from './duration';
export { parseDuration, formatDuration } from './duration';
export { SweepInputError } from './errors';
export { loadSweepFile, resolveSweep } from './load';
export type { LoadOptions } from './load';
export type { LoadedSweep, ResolvedSweepDefinition, SweepExecution } from './loaded-sweep';
export { canonicalJson, specHash, trialKey } from './key';
export type { TrialIdentity } from './key';
export type { CatalogueEntry, FamilyCatalogue } from './catalogue';
export type { TrialParams, TrialSpec, ParamValue } from './trial';
export type { ExecutionSettings } from './execution';
