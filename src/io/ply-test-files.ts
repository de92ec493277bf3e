/**
 * Hand-made PLY files for tests: a header written out literally and values put in byte by byte with
 * a DataView (or printed for ascii). Deliberately separate from ply-writer.ts, so reader tests check
 * against bytes built by other code than the code under test.
 */

export type TestType = 'char' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint' | 'float' | 'double';

export interface TestProperty {
  name: string;
  type: TestType;
}

export interface TestElement {
  name: string;
  properties: TestProperty[];
  /** One row of numbers per item, in property order. */
  rows: number[][];
}

export interface TestPlyOptions {
  format?: 'ascii' | 'binary_little_endian' | 'binary_big_endian';
  lineEnd?: '\n' | '\r\n';
  /** Extra header lines inserted right after the format line (comments, obj_info ...). */
  headerLines?: string[];
}

const SIZE: Record<TestType, number> = { char: 1, uchar: 1, short: 2, ushort: 2, int: 4, uint: 4, float: 4, double: 8 };

export function buildPly(elements: TestElement[], options: TestPlyOptions = {}): Uint8Array {
  const format = options.format ?? 'binary_little_endian';
  const nl = options.lineEnd ?? '\n';
  const lines = ['ply', `format ${format} 1.0`, ...(options.headerLines ?? [])];
  for (const e of elements) {
    lines.push(`element ${e.name} ${e.rows.length}`);
    for (const p of e.properties) lines.push(`property ${p.type} ${p.name}`);
  }
  lines.push('end_header');
  const header = new TextEncoder().encode(lines.join(nl) + nl);
  if (format === 'ascii') {
    const body = elements.map((e) => e.rows.map((row) => row.join(' ') + '\n').join('')).join('');
    return concat(header, new TextEncoder().encode(body));
  }
  const le = format === 'binary_little_endian';
  const size = elements.reduce((s, e) => s + e.rows.length * e.properties.reduce((t, p) => t + SIZE[p.type], 0), 0);
  const body = new Uint8Array(size);
  const view = new DataView(body.buffer);
  let at = 0;
  for (const e of elements) {
    for (const row of e.rows) {
      e.properties.forEach((p, i) => {
        const v = row[i];
        switch (p.type) {
          case 'char': view.setInt8(at, v); break;
          case 'uchar': view.setUint8(at, v); break;
          case 'short': view.setInt16(at, v, le); break;
          case 'ushort': view.setUint16(at, v, le); break;
          case 'int': view.setInt32(at, v, le); break;
          case 'uint': view.setUint32(at, v, le); break;
          case 'float': view.setFloat32(at, v, le); break;
          case 'double': view.setFloat64(at, v, le); break;
        }
        at += SIZE[p.type];
      });
    }
  }
  return concat(header, body);
}

/** The 14 required 3DGS property names plus f_rest_0..restCount-1, all float. */
export function splatProperties(restCount = 0, type: TestType = 'float'): TestProperty[] {
  const names = ['x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', ...Array.from({ length: restCount }, (_, i) => `f_rest_${i}`)];
  names.push('opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3');
  return names.map((name) => ({ name, type }));
}

/**
 * Raw file values of one splat by name, for building rows in any property order:
 * row = properties.map((p) => values[p.name] ?? 0).
 */
export type RawSplat = Record<string, number>;

export function rowsFor(properties: TestProperty[], splats: RawSplat[]): number[][] {
  return splats.map((s) => properties.map((p) => s[p.name] ?? 0));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Async chunks of `size` bytes, as a file stream would deliver them. */
export async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}
