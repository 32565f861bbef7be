/**
 * The transfer strategies as per-layer modes (network.ts). The output layer is
 * always new, so "fine-tune" fine-tunes every hidden layer under a fresh head.
 *
 *   target-only   fresh, fresh                 (no source at all)
 *   fine-tune     fine-tune, fine-tune
 *   share-k       first k frozen, rest fresh
 *   fine-tune-k   first k fine-tuned, rest fresh
 *   ptu           a PTU on every hidden layer (it learns the state; k is not used)
 */
import type { LayerMode } from './network';

export const TRANSFER_LAYERS_COUNT = 2;

export type Strategy = 'target-only' | 'fine-tune' | 'share-k' | 'fine-tune-k' | 'ptu';

export function layerModes(strategy: Strategy, k: number, layers = TRANSFER_LAYERS_COUNT): LayerMode[] {
  if (!(Number.isInteger(k) && k >= 1 && k <= layers)) throw new RangeError(`k must be in 1..${layers}, got ${k}`);
  return Array.from({ length: layers }, (_, i): LayerMode => {
    switch (strategy) {
      case 'target-only':
        return 'fresh';
      case 'fine-tune':
        return 'fine-tune';
      case 'share-k':
        return i < k ? 'frozen' : 'fresh';
      case 'fine-tune-k':
        return i < k ? 'fine-tune' : 'fresh';
      case 'ptu':
        return 'ptu';
    }
  });
}

export function needsSource(strategy: Strategy): boolean {
  return strategy !== 'target-only';
}
