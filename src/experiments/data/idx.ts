/**
 * Reader for the IDX format of (Fashion-)MNIST: a 4-byte magic number
 * (two zero bytes, a type code, the number of dimensions), one big-endian
 * uint32 per dimension, then the values in row-major order, big-endian.
 * Files may be gzipped (detected by the gzip magic bytes, not the file name).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const IDX_TYPES = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
} as const;

type IdxTypeCode = keyof typeof IDX_TYPES;
export type IdxType = (typeof IDX_TYPES)[IdxTypeCode]['name'];

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly type: IdxType;
  /** Size of each dimension, outermost first (e.g. [60000, 28, 28]). */
  readonly dims: readonly number[];
  /** All values, row-major, in native byte order. */
  readonly data: IdxData;
}

export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError';
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses IDX bytes (gzipped or plain). `source` names the file in error messages. */
export function parseIdx(input: Uint8Array, source = '<buffer>'): IdxArray {
  let bytes = input;
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new IdxFormatError(`${source}: corrupt gzip data (${(err as Error).message})`);
    }
  }
  if (bytes.length < 4) {
    throw new IdxFormatError(`${source}: ${bytes.length} bytes is too short for an IDX header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const typeCode = view.getUint8(2);
  const rank = view.getUint8(3);
  if (view.getUint8(0) !== 0 || view.getUint8(1) !== 0 || !(typeCode in IDX_TYPES)) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError(
      `${source}: not an IDX file (magic bytes ${magic}; expected 00 00 <type 08|09|0b|0c|0d|0e> <rank>)`,
    );
  }
  if (rank === 0) throw new IdxFormatError(`${source}: IDX header declares 0 dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(`${source}: truncated header (${rank} dimensions need ${headerBytes} bytes, file has ${bytes.length})`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));

  const type = IDX_TYPES[typeCode as IdxTypeCode];
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw new IdxFormatError(
      `${source}: dimensions [${dims.join(', ')}] of ${type.name} need ${expected} bytes, file has ${bytes.length}`,
    );
  }
  return { type: type.name, dims, data: decodeValues(view, headerBytes, count, type.name) };
}

function decodeValues(view: DataView, offset: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case 'uint8':
      // Copy so the result does not pin the (possibly much larger) file buffer.
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Reads and parses one IDX file (gzipped or plain). */
export function readIdxFile(path: string): IdxArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new IdxFormatError(`cannot read IDX file ${path}: ${(err as Error).message}`);
  }
  return parseIdx(bytes, path);
}

/**
 * Encodes values as IDX (plain, not gzipped). The inverse of `parseIdx`; used
 * to write small synthetic data sets and test fixtures.
 */
export function encodeIdx(dims: readonly number[], data: IdxData): Uint8Array {
  const entry = Object.entries(IDX_TYPES).find(([, t]) => t.name === idxTypeOf(data));
  if (!entry) throw new IdxFormatError(`cannot encode ${data.constructor.name} as IDX`);
  const [code, type] = entry;
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new IdxFormatError(`encodeIdx: dimensions [${dims.join(', ')}] hold ${count} values, data has ${data.length}`);
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  view.setUint8(2, Number(code));
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    const at = header + i * type.bytes;
    switch (type.name) {
      case 'uint8': view.setUint8(at, v); break;
      case 'int8': view.setInt8(at, v); break;
      case 'int16': view.setInt16(at, v, false); break;
      case 'int32': view.setInt32(at, v, false); break;
      case 'float32': view.setFloat32(at, v, false); break;
      case 'float64': view.setFloat64(at, v, false); break;
    }
  }
  return out;
}

function idxTypeOf(data: IdxData): IdxType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}
