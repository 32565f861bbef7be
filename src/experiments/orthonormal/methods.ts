/**
 * What each method of the family does to a layer's weight matrix:
 *
 *   none       W
 *   orth-reg   W, with λ Σ‖W Wᵀ − I‖²_F added to the objective (run.ts; orthogonality.ts)
 *   spectral   SN(W) = W / σ_max(W)
 *   aon        h(W) = SN(P_K · W/σ_max(W))            (aon.ts)
 */
import { aon } from './aon';
import type { MatrixTransform } from './normalised-model';
import type { OrthonormalMethod } from './params';
import { spectralNormalise } from './spectral-norm';

export interface MethodSettings {
  readonly method: OrthonormalMethod;
  /** K (aon). */
  readonly order: number;
  /** Per σ_max estimate (spectral, aon). */
  readonly powerIterations: number;
}

/** The weight transform of a method; undefined for those whose layers use W itself. */
export function methodTransform(settings: MethodSettings): MatrixTransform | undefined {
  const { method, order, powerIterations } = settings;
  switch (method) {
    case 'none':
    case 'orth-reg':
      return undefined;
    case 'spectral':
      return (matrix, start) => spectralNormalise(matrix, powerIterations, start);
    case 'aon':
      return (matrix, start) => aon(matrix, { order, powerIterations, start });
    default:
      throw new RangeError(`unknown method '${String(method)}' (known: none, orth-reg, spectral, aon)`);
  }
}
