import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, IdxFormatError, parseIdx, readIdxFile } from '../../src/experiments/data/idx';

const dir = mkdtempSync(join(tmpdir(), 'sweeplab-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 3×2×4 uint8 "image stack" whose values encode their position. */
function images(): Uint8Array {
  return Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 7) % 256);
}

describe('IDX reader', () => {
  it('reads a plain uint8 file with a hand-written header', () => {
    const values = images();
    const header = [0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4];
    const path = join(dir, 'plain-idx3-ubyte');
    writeFileSync(path, Uint8Array.from([...header, ...values]));
    const idx = readIdxFile(path);
    expect(idx.type).toBe('uint8');
    expect(idx.dims).toEqual([3, 2, 4]);
    expect(idx.data).toBeInstanceOf(Uint8Array);
    expect([...idx.data]).toEqual([...values]);
  });

  it('reads the same file gzipped, detected by content rather than name', () => {
    const plain = encodeIdx([3, 2, 4], images());
    const path = join(dir, 'no-gz-suffix');
    writeFileSync(path, gzipSync(plain));
    const idx = readIdxFile(path);
    expect(idx.dims).toEqual([3, 2, 4]);
    expect([...idx.data]).toEqual([...images()]);
  });

  it('reads a 1-D label file', () => {
    const labels = Uint8Array.from([9, 0, 3, 3, 7]);
    const path = join(dir, 'labels-idx1-ubyte.gz');
    writeFileSync(path, gzipSync(encodeIdx([5], labels)));
    const idx = readIdxFile(path);
    expect(idx.dims).toEqual([5]);
    expect([...idx.data]).toEqual([9, 0, 3, 3, 7]);
  });

  it('decodes the big-endian types (int8, int16, int32, float32, float64)', () => {
    const cases = [
      Int8Array.from([-128, -1, 0, 127]),
      Int16Array.from([-32768, -2, 258, 32767]),
      Int32Array.from([-2147483648, -3, 65536 + 5, 2147483647]),
      Float32Array.from([-1.5, 0, 3.25, 1e-3]),
      Float64Array.from([-Math.PI, 0, Math.E, 1e300]),
    ];
    for (const data of cases) {
      const bytes = encodeIdx([2, 2], data);
      const idx = parseIdx(bytes);
      expect(idx.data.constructor).toBe(data.constructor);
      expect([...idx.data]).toEqual([...data]);
      expect(idx.dims).toEqual([2, 2]);
    }
    // Big-endian on disk: int16 258 is 0x01 0x02.
    const int16 = encodeIdx([1], Int16Array.from([258]));
    expect([...int16.subarray(8)]).toEqual([0x01, 0x02]);
  });

  it('refuses a file with a bad magic number, naming the file and the bytes', () => {
    const path = join(dir, 'not-idx.bin');
    writeFileSync(path, Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    expect(() => readIdxFile(path)).toThrow(IdxFormatError);
    expect(() => readIdxFile(path)).toThrow(/not-idx\.bin: not an IDX file \(magic bytes 50 4b 03 04/);
  });

  it('refuses an unknown type code', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 1, 5]), 'x.idx')).toThrow(/x\.idx: not an IDX file/);
  });

  it('refuses data whose length does not match the dimensions', () => {
    const good = encodeIdx([3, 2, 4], images());
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'short.idx')).toThrow(
      /short\.idx: dimensions \[3, 2, 4\] of uint8 need 40 bytes, file has 39/,
    );
    const long = Uint8Array.from([...good, 0]);
    expect(() => parseIdx(long, 'long.idx')).toThrow(/need 40 bytes, file has 41/);
  });

  it('refuses a truncated header and zero dimensions', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]), 't.idx')).toThrow(/too short for an IDX header/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 1]), 't.idx')).toThrow(/truncated header/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 0]), 't.idx')).toThrow(/0 dimensions/);
  });

  it('reports corrupt gzip data and missing files clearly', () => {
    const path = join(dir, 'broken.gz');
    writeFileSync(path, Uint8Array.from([0x1f, 0x8b, 1, 2, 3]));
    expect(() => readIdxFile(path)).toThrow(/broken\.gz: corrupt gzip data/);
    expect(() => readIdxFile(join(dir, 'absent'))).toThrow(/cannot read IDX file .*absent/);
  });
});
