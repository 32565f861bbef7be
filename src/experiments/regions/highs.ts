/**
 * HiGHS (the `highs` npm package: the HiGHS MILP solver compiled to
 * WebAssembly) loaded once per process, and the small typed wrapper the
 * regions study needs: a persistent model that grows by columns and rows
 * (layers, no-good cuts) and is re-solved without being rebuilt, one solve at
 * a time, each under its own time limit, reporting the status, the incumbent
 * and — what keeps bounds sound when a solve is cut short — the proven dual
 * bound.
 *
 * The solver is synchronous: a solve blocks the thread until it finishes or
 * reaches its time limit.
 */
import loadHighs, { type Highs, type Model, type OptionValue } from 'highs';

let runtime: Promise<Highs> | undefined;

/** The HiGHS runtime, compiled and instantiated on first use; a failed load is retried on the next call. */
export function highsRuntime(): Promise<Highs> {
  runtime ??= loadHighs().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

export type ObjectiveDirection = 'max' | 'min';

/** How a solve ended, coarsened to what the callers act on. */
export type SolveStatus = 'optimal' | 'infeasible' | 'time-limit' | 'other';

export interface SolveResult {
  readonly status: SolveStatus;
  /** HiGHS's model status code (highs.constants.modelStatus), for messages. */
  readonly modelStatus: number;
  /**
   * The best bound HiGHS proved on the optimum, in the objective's own sense
   * (for a max: no feasible point has a larger objective; for a min: none has
   * a smaller one). For a MIP this is the `mip_dual_bound` info value, never the
   * incumbent; for a pure LP it is the optimal objective (simplex optimality is
   * dual feasibility). ∓Infinity when infeasibility was proved; undefined when
   * no bound is available (e.g. the time limit struck before the root LP).
   */
  readonly dualBound: number | undefined;
  /** The incumbent's objective, when a feasible point is available. */
  readonly objective: number | undefined;
  /** The incumbent's column values, when a feasible point is available. */
  readonly columns: Float64Array | undefined;
  /** Wall-clock seconds of this solve. */
  readonly seconds: number;
}

/**
 * Options every model starts with: quiet, single-threaded (the Wasm build has
 * no threads anyway), a fixed seed so that solves are reproducible.
 */
const BASE_OPTIONS: Readonly<Record<string, OptionValue>> = {
  output_flag: false,
  log_to_console: false,
  random_seed: 0,
};

/**
 * A MILP owned by one native HiGHS instance. Columns and rows are appended;
 * the objective is replaced between solves. Call `dispose()` (the Wasm memory
 * is not garbage-collected).
 */
export class MilpModel {
  private readonly costColumns = new Set<number>();
  private columnCount = 0;
  private rowCount = 0;
  private integerCount = 0;
  private direction: ObjectiveDirection = 'min';

  private constructor(
    private readonly highs: Highs,
    private readonly model: Model,
  ) {}

  /** A new empty model; `options` are HiGHS option names (snake_case) applied after the defaults above. */
  static async create(options: Readonly<Record<string, OptionValue>> = {}): Promise<MilpModel> {
    const highs = await highsRuntime();
    const model = highs.createModel();
    try {
      model.options.set({ ...BASE_OPTIONS, ...options });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new MilpModel(highs, model);
  }

  get columns(): number {
    return this.columnCount;
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends a column lower ≤ v ≤ upper (binary when `integer` and the bounds are 0, 1); returns its index. */
  addColumn(lower: number, upper: number, integer = false): number {
    const index = this.columnCount;
    this.model.addVar(lower, upper);
    if (integer) {
      this.model.changeColIntegrality(index, this.highs.constants.variableType.integer);
      this.integerCount++;
    }
    this.columnCount++;
    return index;
  }

  /** Appends a row lower ≤ Σ values[k]·v[indices[k]] ≤ upper (±Infinity for a missing side); returns its index. */
  addRow(lower: number, upper: number, indices: readonly number[], values: readonly number[]): number {
    const index = this.rowCount;
    this.model.addRow(lower, upper, { indices, values });
    this.rowCount++;
    return index;
  }

  /** Replaces the objective by Σ values[k]·v[indices[k]], to be maximised or minimised. */
  setObjective(direction: ObjectiveDirection, indices: readonly number[], values: readonly number[]): void {
    for (const column of this.costColumns) this.model.changeColCost(column, 0);
    this.costColumns.clear();
    for (let k = 0; k < indices.length; k++) {
      const value = values[k]!;
      if (value === 0) continue;
      this.model.changeColCost(indices[k]!, value);
      this.costColumns.add(indices[k]!);
    }
    if (direction !== this.direction) {
      const senses = this.highs.constants.objectiveSense;
      this.model.changeObjectiveSense(direction === 'max' ? senses.maximize : senses.minimize);
      this.direction = direction;
    }
  }

  /** Solves under a wall-clock limit of its own (HiGHS's clock is cumulative per instance, so it is reset first). */
  solve(timeLimitSeconds: number): SolveResult {
    if (!(timeLimitSeconds > 0)) throw new RangeError(`time limit must be positive, got ${timeLimitSeconds}`);
    const codes = this.highs.constants.modelStatus;
    this.model.options.set('time_limit', timeLimitSeconds);
    this.model.zeroAllClocks();
    const started = performance.now();
    const { modelStatus } = this.model.run();
    const seconds = (performance.now() - started) / 1000;

    const status: SolveStatus =
      modelStatus === codes.optimal
        ? 'optimal'
        : modelStatus === codes.infeasible
          ? 'infeasible'
          : modelStatus === codes.timeLimit
            ? 'time-limit'
            : 'other';

    const feasible = this.info('primal_solution_status') === this.highs.constants.solutionStatus.feasible;
    const objective = feasible ? this.model.getObjectiveValue() : undefined;
    const columns = feasible ? this.model.getSolution().colValue : undefined;

    let dualBound: number | undefined;
    if (status === 'infeasible') {
      dualBound = this.direction === 'max' ? -Infinity : Infinity;
    } else if (this.integerCount === 0) {
      // A pure LP: only a simplex optimum is a proven bound (an interrupted
      // simplex's objective is not, in either direction).
      dualBound = status === 'optimal' ? objective : undefined;
    } else if (status !== 'other') {
      // HiGHS's info store holds mip_dual_bound = 0 when it is invalid; the
      // wrapper then throws on reading it, which `info` turns into undefined.
      // "No bound yet" is the infinite bound of the sense: also unavailable.
      const bound = this.info('mip_dual_bound');
      const none = this.direction === 'max' ? Infinity : -Infinity;
      if (bound !== undefined && !Number.isNaN(bound) && bound !== none) {
        // At optimality the two agree to rounding, and the bound can land an
        // ulp on the wrong side of the incumbent; a feasible point refutes any
        // bound it beats, so take the looser of the two (still never the
        // incumbent alone).
        dualBound = objective === undefined ? bound : this.direction === 'max' ? Math.max(bound, objective) : Math.min(bound, objective);
      }
    }
    return { status, modelStatus, dualBound, objective, columns, seconds };
  }

  /** A numeric info value, or undefined when HiGHS has none (its info is invalid before or after some solves). */
  private info(name: string): number | undefined {
    try {
      return Number(this.model.info.get(name));
    } catch {
      return undefined;
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}
