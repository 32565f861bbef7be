/**
 * Serialised network weights, the bytes of a source-network artifact: a
 * little-endian uint32 header length, a JSON header listing each array's name
 * and shape, zero padding to a 4-byte boundary, then every array's float32
 * values (little-endian) in header order.
 */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

const MAGIC = 'sweeplab-weights/1';

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function encodeWeights(arrays: readonly NamedArray[]): Uint8Array {
  for (const a of arrays) {
    if (a.values.length !== sizeOf(a.shape)) throw new Error(`weights '${a.name}': shape [${a.shape}] but ${a.values.length} values`);
  }
  const header = new TextEncoder().encode(JSON.stringify({ format: MAGIC, arrays: arrays.map((a) => ({ name: a.name, shape: a.shape })) }));
  const dataStart = Math.ceil((4 + header.length) / 4) * 4;
  const total = dataStart + 4 * arrays.reduce((n, a) => n + a.values.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, header.length, true);
  bytes.set(header, 4);
  let at = dataStart;
  for (const a of arrays) {
    for (let i = 0; i < a.values.length; i++, at += 4) view.setFloat32(at, a.values[i]!, true);
  }
  return bytes;
}

export function decodeWeights(bytes: Uint8Array): NamedArray[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4) throw new Error('weights: too short for a header');
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > bytes.length) throw new Error('weights: truncated header');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as {
    format?: string;
    arrays?: { name: string; shape: number[] }[];
  };
  if (header.format !== MAGIC || !Array.isArray(header.arrays)) throw new Error(`weights: not a ${MAGIC} blob`);
  let at = Math.ceil((4 + headerLength) / 4) * 4;
  const arrays = header.arrays.map(({ name, shape }) => {
    const count = sizeOf(shape);
    if (at + 4 * count > bytes.length) throw new Error(`weights: '${name}' runs past the end`);
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++, at += 4) values[i] = view.getFloat32(at, true);
    return { name, shape, values };
  });
  if (at !== bytes.length) throw new Error(`weights: ${bytes.length - at} trailing bytes`);
  return arrays;
}
