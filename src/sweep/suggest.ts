/** "did you mean …?" for misspelt names. */

export function closestName(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    // Beyond about a third of the longer word, a suggestion is more confusing than helpful.
    const tolerance = Math.max(2, Math.floor(Math.max(input.length, candidate.length) / 3));
    if (distance <= tolerance && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance, with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i]![j] = value;
    }
  }
  return at(a.length, b.length);
}

/** ' (did you mean x?)', or the list of candidates when none is close. */
export function didYouMean(input: string, candidates: readonly string[], listLabel = 'known'): string {
  const suggestion = closestName(input, candidates);
  return suggestion ? ` (did you mean ${suggestion}?)` : ` (${listLabel}: ${candidates.join(', ')})`;
}
