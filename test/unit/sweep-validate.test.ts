import { describe, expect, it } from 'vitest';
import { choice, logUniform, range, resolveSweep, SweepInputError, zip } from '../../src/sweep';
import { DATASET_NAMES } from '../../src/experiments/data/dataset-names';
import { familyCatalogue as catalogue, familyNames } from '../../src/experiments/registry';

const file = 'sweeps/train.ts';

function train(overrides: Record<string, unknown> = {}) {
  return {
    name: 'train-test',
    family: 'train',
    parameters: { learningRate: [1e-3, 1e-2], width: 64 },
    seeds: 2,
    presets: { smoke: { seeds: 1 }, paper: { seeds: 5 } },
    ...overrides,
  };
}

/** Resolves and returns the SweepInputError it must throw. */
function refusal(definition: unknown, preset: string | null = null): SweepInputError {
  try {
    resolveSweep(definition, { catalogue, file, preset });
  } catch (error) {
    if (error instanceof SweepInputError) return error;
    throw error;
  }
  throw new Error('expected a SweepInputError, but the sweep resolved');
}

function expectRefusal(definition: unknown, path: string, reason: string | RegExp, preset: string | null = null): SweepInputError {
  const error = refusal(definition, preset);
  expect(error.file).toBe(file);
  expect(error.path).toBe(path);
  expect(error.message.startsWith(path ? `${file}: ${path}: ` : `${file}: `)).toBe(true);
  if (typeof reason === 'string') expect(error.reason).toBe(reason);
  else expect(error.reason).toMatch(reason);
  return error;
}

describe('parameter names', () => {
  it('refuses a misspelt parameter at its own path, suggesting the real one', () => {
    const error = expectRefusal(
      train({ parameters: { lerningRate: 0.1 } }),
      'parameters.lerningRate',
      "unknown parameter for family 'train' (did you mean learningRate?)",
    );
    expect(error.message).toBe(
      "sweeps/train.ts: parameters.lerningRate: unknown parameter for family 'train' (did you mean learningRate?)",
    );
  });

  it('lists the known names when nothing is close', () => {
    expectRefusal(train({ parameters: { temperature: 1 } }), 'parameters.temperature', /unknown parameter for family 'train' \(known: dataset, arch, .*testSize\)/);
  });

  it('refuses a parameter of another family', () => {
    expectRefusal({ ...train(), family: 'noop' }, 'parameters.learningRate', /unknown parameter for family 'noop'/);
  });

  it('refuses a misspelt name inside a zip, at the zip sub-key', () => {
    expectRefusal(
      train({ parameters: { schedule: zip({ learningRate: [0.1, 0.2], batchSzie: [32, 64] }) } }),
      'parameters.schedule.batchSzie',
      "unknown parameter for family 'train' (did you mean batchSize?)",
    );
  });

  it('refuses a misspelt name in a preset, even when another preset is chosen', () => {
    const definition = train({ presets: { smoke: { seeds: 1 }, paper: { parameters: { epoch: 20 } } } });
    expectRefusal(definition, 'presets.paper.parameters.epoch', /did you mean epochs\?/, 'smoke');
  });

  it('refuses a parameter given twice (directly and in a zip)', () => {
    expectRefusal(
      train({ parameters: { learningRate: 0.1, schedule: zip({ learningRate: [0.1], batchSize: [32] }) } }),
      'parameters.schedule.learningRate',
      "parameter 'learningRate' is already given by parameters.learningRate",
    );
  });
});

describe('parameter values (checked per expanded trial with the family schema)', () => {
  it('refuses an out-of-range value, naming the parameter and the trial', () => {
    const error = expectRefusal(
      train({ parameters: { width: 64, learningRate: [1e-3, 1e-2, 20] } }),
      'parameters.learningRate',
      /^Too big: expected number to be <=10 \(in trial 4: \{"width":64,"learningRate":20\}\)$/,
    );
    expect(error.message).toBe(
      'sweeps/train.ts: parameters.learningRate: Too big: expected number to be <=10 (in trial 4: {"width":64,"learningRate":20})',
    );
  });

  it('refuses a value of the wrong type', () => {
    expectRefusal(train({ parameters: { learningRate: 'fast' } }), 'parameters.learningRate', /^Invalid input: expected number, received string/);
  });

  it('refuses a value outside an enum', () => {
    expectRefusal(train({ parameters: { dataset: ['mnist', 'cifar10'] } }), 'parameters.dataset', new RegExp(`^Invalid option: expected one of ${escapeRegExp(DATASET_NAMES.map((d) => `"${d}"`).join('|'))} \\(in trial 2: `));
  });

  it('refuses a bad value inside a zip at the zip sub-key', () => {
    expectRefusal(
      train({ parameters: { schedule: zip({ learningRate: [0.1, 0.2], batchSize: [32, 0] }) } }),
      'parameters.schedule.batchSize',
      /^Too small: expected number to be >=1 \(in trial 2: /,
    );
  });

  it('refuses a bad value written by the chosen preset at the preset’s path', () => {
    const definition = train({ presets: { smoke: { parameters: { epochs: 0 } } } });
    expectRefusal(definition, 'presets.smoke.parameters.epochs', /^Too small: expected number to be >=1/, 'smoke');
  });

  it('refuses non-integers for integer parameters, from a range too', () => {
    expectRefusal(train({ parameters: { width: range(16, 17, 0.5) } }), 'parameters.width', /expected int, received number \(in trial 2: \{"width":16\.5\}\)/);
  });

  it('refuses what a family schema refuses across fields (noop: inline isolation cannot crash)', () => {
    const definition = { name: 'n', family: 'noop', parameters: { isolation: 'inline', fail: 'crash' }, seeds: 1 };
    expectRefusal(definition, 'parameters.isolation', /isolation 'inline' needs mode 'sleep'/);
  });
});

describe('values the chosen expansion does not see (checked per field)', () => {
  it('refuses a bad value in a preset that is not chosen', () => {
    const definition = train({ presets: { smoke: { seeds: 1 }, paper: { parameters: { epochs: [10, 0] } } } });
    expectRefusal(definition, 'presets.paper.parameters.epochs', 'Too small: expected number to be >=1 (value 0)', 'smoke');
    expectRefusal(definition, 'presets.paper.parameters.epochs', 'Too small: expected number to be >=1 (value 0)');
  });

  it('refuses a bad base value that the chosen preset replaces', () => {
    const definition = train({ parameters: { width: 'wide' }, presets: { smoke: { parameters: { width: 32 } } } });
    expectRefusal(definition, 'parameters.width', /^Invalid input: expected number, received string \(value "wide"\)$/, 'smoke');
  });

  it('checks zips, ranges and random bounds of a preset too', () => {
    const zipped = train({ presets: { paper: { parameters: { schedule: zip({ epochs: [1, 2], batchSize: [32, 0] }) } } } });
    expectRefusal(zipped, 'presets.paper.parameters.schedule.batchSize', /\(value 0\)$/);
    expectRefusal(train({ presets: { paper: { parameters: { width: range(16, 17, 0.5) } } } }), 'presets.paper.parameters.width', /\(value 16\.5\)$/);
    expectRefusal(train({ presets: { paper: { parameters: { learningRate: logUniform(1e-3, 20) } } } }), 'presets.paper.parameters.learningRate', /\(value 20\)$/);
  });
});

describe('value specs', () => {
  it('requires equal lengths in a zip', () => {
    expectRefusal(
      train({ parameters: { schedule: zip({ learningRate: [0.1, 0.2, 0.3], batchSize: [32, 64] }) } }),
      'parameters.schedule.axes',
      'zip lists must have equal lengths (learningRate: 3, batchSize: 2)',
    );
  });

  it('requires logUniform min > 0 and min < max', () => {
    expectRefusal(train({ parameters: { learningRate: logUniform(0, 1) } }), 'parameters.learningRate.min', /must be > 0/);
    expectRefusal(train({ parameters: { learningRate: logUniform(1, 0.5) } }), 'parameters.learningRate.max', 'min must be less than max');
  });

  it('refuses empty grids and empty choices', () => {
    expectRefusal(train({ parameters: { width: [] } }), 'parameters.width', 'must list at least one value');
    expectRefusal(train({ parameters: { arch: choice([]) } }), 'parameters.arch.values', 'must list at least one value');
  });

  it('refuses a range that never reaches stop, or has step 0', () => {
    expectRefusal(train({ parameters: { width: range(10, 1, 1) } }), 'parameters.width.step', /goes away from stop/);
    expectRefusal(train({ parameters: { width: range(1, 10, 0) } }), 'parameters.width.step', 'step must not be 0');
  });

  it('refuses an unknown spec kind and non-JSON values', () => {
    expectRefusal(train({ parameters: { width: { kind: 'gird', values: [1] } } }), 'parameters.width', "unknown value spec 'gird' (did you mean grid?)");
    expectRefusal(train({ parameters: { width: { min: 1 } } }), 'parameters.width', /expected a value, a list of values, or a value spec/);
    expectRefusal(train({ parameters: { learningRate: Number.NaN } }), 'parameters.learningRate', /expected a string, a finite number/);
    expectRefusal(train({ parameters: { learningRate: [0.1, undefined] } }), 'parameters.learningRate[1]', /expected a string, a finite number/);
  });
});

describe('the rest of the definition', () => {
  it('refuses a name that is not a slug', () => {
    expectRefusal(train({ name: 'My Sweep' }), 'name', /^'My Sweep' is not a slug/);
    expectRefusal(train({ name: '-x' }), 'name', /is not a slug/);
  });

  it('refuses an unknown family, suggesting a close one', () => {
    expectRefusal(train({ family: 'trian' }), 'family', `unknown family 'trian' (did you mean train?) (known: ${familyNames.join(', ')})`);
    expectRefusal(train({ family: 'resnet' }), 'family', /^unknown family 'resnet' \(known: .*train/);
  });

  it('refuses an unknown preset, listing the ones that exist', () => {
    expectRefusal(train(), 'preset', "unknown preset 'smok' (did you mean smoke? presets of this sweep: smoke, paper)", 'smok');
    expectRefusal(train(), 'preset', "unknown preset 'fast' (presets of this sweep: smoke, paper)", 'fast');
    expectRefusal(train({ presets: undefined }), 'preset', "unknown preset 'smoke' (this sweep defines no presets)", 'smoke');
  });

  it('refuses a bad duration, at its path', () => {
    expectRefusal(train({ timeouts: { trial: '5 minutes' } }), 'timeouts.trial', /'5 minutes' is not a duration/);
    expectRefusal(train({ retry: { initialInterval: -1 } }), 'retry.initialInterval', /non-negative/);
    expectRefusal(train({ presets: { smoke: { timeouts: { heartbeat: 'soon' } } } }), 'presets.smoke.timeouts.heartbeat', /'soon' is not a duration/);
  });

  it('refuses inconsistent timeouts and retry intervals', () => {
    expectRefusal(train({ timeouts: { trial: '1m', heartbeat: '5m' } }), 'timeouts.heartbeat', /at most the trial timeout \(1m\)/);
    expectRefusal(train({ retry: { initialInterval: '10m' } }), 'retry.maximumInterval', /at least initialInterval \(10m\)/);
  });

  it('refuses concurrency above 500 and bad seeds', () => {
    expectRefusal(train({ concurrency: 501 }), 'concurrency', 'Too big: expected number to be <=500');
    expectRefusal(train({ seeds: 0 }), 'seeds', /Too small/);
    expectRefusal(train({ seeds: [0, 1.5] }), 'seeds[1]', /expected int/);
    expectRefusal(train({ seeds: [] }), 'seeds', 'must list at least one seed');
    expectRefusal(train({ seeds: 'three' }), 'seeds', 'expected a list of integer seeds or a count, got string');
  });

  it('refuses unknown fields, suggesting the intended one', () => {
    expectRefusal(train({ seed: 3 }), 'seed', 'unknown field (did you mean seeds?)');
    expectRefusal(train({ retry: { maxAttempts: 2 } }), 'retry.maxAttempts', 'unknown field (did you mean maximumAttempts?)');
    expectRefusal(train({ presets: { smoke: { sample: 3 } } }), 'presets.smoke.sample', 'unknown field (did you mean samples?)');
  });

  it('names a misspelt top-level key as the cause, not the field it leaves missing', () => {
    const { seeds: _seeds, presets, ...rest } = train();
    expectRefusal({ ...rest, seed: 3, presets }, 'seed', 'unknown field (did you mean seeds?)');
    expectRefusal({ ...rest, seeds: 2, preset: presets }, 'preset', 'unknown field (did you mean presets?)');
    const { parameters, ...noParameters } = train();
    expectRefusal({ ...noParameters, parameter: parameters }, 'parameter', 'unknown field (did you mean parameters?)');
    const { family: _family, ...noFamily } = train();
    expectRefusal({ ...noFamily, familly: 'train' }, 'familly', 'unknown field (did you mean family?)');
  });

  it('refuses a missing required field', () => {
    const { seeds: _omitted, ...withoutSeeds } = train();
    expectRefusal(withoutSeeds, 'seeds', 'missing');
    const { name: _name, ...withoutName } = train();
    expectRefusal(withoutName, 'name', 'missing');
    const { parameters: _parameters, ...withoutParameters } = train();
    expectRefusal(withoutParameters, 'parameters', 'missing');
    expectRefusal(null, '', /expected object/);
  });

  it('refuses a preset name the pattern refuses, quoting it as the file writes it', () => {
    expectRefusal(train({ presets: { 'smoke test': { seeds: 1 } } }), "presets['smoke test']", 'preset names are letters, digits, "-" and "_"');
  });

  it('refuses a sweep that would expand beyond the trial limit, before expanding it', () => {
    const definition = {
      name: 'huge',
      family: 'noop',
      parameters: { value: range(0, 9999), steps: range(1, 1000) },
      seeds: 1,
    };
    // The count is the product of the axes' sizes: refused without building ten million trials.
    expectRefusal(definition, 'parameters', /expands to 10000000 trials \(at most 1000000\)/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
