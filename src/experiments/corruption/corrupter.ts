/**
 * Moves the targeted variables to w + a and back. The clean values w are kept
 * once, so every corruption starts from the same w (no drift from repeated
 * add/subtract in float32) and `restore` puts back exactly the original bits.
 */
import * as tf from '@tensorflow/tfjs';

export class Corrupter {
  private readonly originals: tf.Tensor[];

  constructor(private readonly variables: readonly tf.Variable[]) {
    this.originals = variables.map((v) => tf.clone(v));
  }

  /** Sets every targeted variable to w + a (a: one tensor per variable, same order). */
  apply(corruption: readonly tf.Tensor[]): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => v.assign(tf.add(this.originals[i]!, corruption[i]!)));
    });
  }

  restore(): void {
    this.variables.forEach((v, i) => v.assign(this.originals[i]!));
  }

  /** Restores w and frees the copies. */
  dispose(): void {
    this.restore();
    tf.dispose(this.originals);
  }
}
