/**
 * The binning "estimator" of earlier work (Shwartz-Ziv & Tishby 2017): the
 * entropy of the discretised representation of a deterministic network,
 * H(Bin(T)), over a uniform input distribution. Each coordinate v is put in bin
 * ⌊v / size⌋ (bins aligned at 0; Shwartz-Ziv & Tishby's 30 bins over [−1, 1] are
 * size 2/30 aligned at −1), and H is the Shannon entropy, in nats, of the
 * empirical distribution of the rows' bin vectors. For a deterministic network
 * it measures how many inputs fall into distinct cells (clustering at the bin's
 * scale), between 0 and ln(rows), and says nothing about I(X; T), which is
 * ln(rows) or infinite there (Goldfeld et al.).
 */

/** H(Bin(T)) in nats of `rows` rows of `values` (row-major, values.length / rows columns). */
export function binnedEntropy(values: ArrayLike<number>, rows: number, binSize: number): number {
  if (!(binSize > 0 && Number.isFinite(binSize))) throw new RangeError(`binnedEntropy: the bin size must be positive, got ${binSize}`);
  if (!(Number.isInteger(rows) && rows >= 1 && values.length % rows === 0)) {
    throw new RangeError(`binnedEntropy: ${values.length} values are not ${rows} rows`);
  }
  const columns = values.length / rows;
  const counts = new Map<string, number>();
  const cell = new Array<number>(columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const v = values[r * columns + c]!;
      if (!Number.isFinite(v)) throw new RangeError(`binnedEntropy: value ${v} at row ${r}, column ${c}`);
      cell[c] = Math.floor(v / binSize);
    }
    const key = cell.join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / rows;
    entropy -= p * Math.log(p);
  }
  return entropy;
}
