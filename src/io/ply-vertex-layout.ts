/**
 * What a 3DGS splat file needs from a PLY header: where each Gaussian parameter sits in a vertex
 * record, how many bytes (or ascii numbers) come before and after the vertices, and the SH degree
 * the file declares. Computed once per file; the body decoders then run a fixed plan per record
 * instead of looking properties up per value.
 */
import { shDegreeForRestCount, type ShDegree } from '../core/sh.ts';
import { type PlyElement, type PlyHeader, type PlyScalarType, PLY_TYPE_BYTES, quote } from './ply-header.ts';

/**
 * The Gaussian parameters in a fixed order ("slots"): 14 named ones, then the f_rest_* coefficients
 * in file order (f_rest_0 .. f_rest_{3K-1}, channel-major).
 */
export const SLOT_NAMES = [
  'x', 'y', 'z', 'f_dc_0', 'f_dc_1', 'f_dc_2', 'opacity',
  'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3',
] as const;
export const FIRST_REST_SLOT = SLOT_NAMES.length;

export interface VertexLayout {
  header: PlyHeader;
  vertex: PlyElement;
  /** For each slot, the index of its property in the vertex element. */
  slotProperty: Int32Array;
  /** Rest coefficients per colour channel in the file: 0, 3, 8 or 15. */
  restPerChannel: number;
  /** The degree the file declares by its count of f_rest properties. */
  declaredShDegree: ShDegree;
  /** Byte offset of each vertex property inside a binary record. */
  propertyOffsets: number[];
  /** Bytes of one binary vertex record. */
  recordBytes: number;
  /** Binary bytes of the fixed-size elements before and after the vertex element. */
  bytesBefore: number;
  bytesAfter: number;
  /** The same for ascii bodies, counted in numbers (tokens). */
  numbersBefore: number;
  numbersAfter: number;
}

export function vertexLayout(header: PlyHeader): VertexLayout {
  const vertexIndex = header.elements.findIndex((e) => e.name === 'vertex');
  if (vertexIndex < 0) {
    const found = header.elements.length ? `elements ${header.elements.map((e) => quote(e.name)).join(', ')}` : 'no elements';
    throw new Error(`PLY: expected an element 'vertex', found ${found}`);
  }
  const vertex = header.elements[vertexIndex];
  const list = vertex.properties.find((p) => p.listCountType);
  if (list) throw new Error(`PLY: expected fixed-size vertex properties, found list property ${quote(list.name)}`);
  // Other elements (cameras, extrinsics ...) are skipped by size; a list gives them no fixed size.
  for (const element of header.elements) {
    const other = element.properties.find((p) => p.listCountType);
    if (other) {
      throw new Error(`PLY: expected fixed-size properties in element '${element.name}' besides the vertices, found list property ${quote(other.name)}`);
    }
  }

  const indexOf = new Map(vertex.properties.map((p, i) => [p.name, i]));
  const missing = SLOT_NAMES.filter((name) => !indexOf.has(name));
  if (missing.length > 0) {
    throw new Error(`PLY: expected the 3DGS vertex properties x y z f_dc_0..2 opacity scale_0..2 rot_0..3, found no ${missing.join(', ')}`);
  }

  const restNames = vertex.properties.map((p) => p.name).filter((n) => n.startsWith('f_rest_'));
  const restCount = restNames.length;
  const degree = shDegreeForRestCount(restCount / 3);
  const contiguous = Array.from({ length: restCount }, (_, i) => `f_rest_${i}`).every((n) => indexOf.has(n));
  if (restCount % 3 !== 0 || degree < 0 || !contiguous) {
    throw new Error(`PLY: expected 0, 9, 24 or 45 f_rest properties numbered from f_rest_0, found ${restCount}${contiguous ? '' : ` (${restNames.slice(0, 4).join(' ')}...)`}`);
  }

  const slotProperty = new Int32Array(FIRST_REST_SLOT + restCount);
  SLOT_NAMES.forEach((name, slot) => (slotProperty[slot] = indexOf.get(name)!));
  for (let i = 0; i < restCount; i++) slotProperty[FIRST_REST_SLOT + i] = indexOf.get(`f_rest_${i}`)!;

  const propertyOffsets: number[] = [];
  let recordBytes = 0;
  for (const p of vertex.properties) {
    propertyOffsets.push(recordBytes);
    recordBytes += PLY_TYPE_BYTES[p.type];
  }
  const before = header.elements.slice(0, vertexIndex);
  const after = header.elements.slice(vertexIndex + 1);
  const layout: VertexLayout = {
    header,
    vertex,
    slotProperty,
    restPerChannel: restCount / 3,
    declaredShDegree: degree as ShDegree,
    propertyOffsets,
    recordBytes,
    bytesBefore: sum(before.map(elementBytes)),
    bytesAfter: sum(after.map(elementBytes)),
    numbersBefore: sum(before.map((e) => e.count * e.properties.length)),
    numbersAfter: sum(after.map((e) => e.count * e.properties.length)),
  };
  if (!Number.isSafeInteger(bodyBytes(layout))) {
    throw new Error(`PLY: expected a body size below 2^53 bytes, found a header declaring ${vertex.count} vertices of ${recordBytes} bytes`);
  }
  return layout;
}

/** Binary body size the header declares. */
export const bodyBytes = (l: VertexLayout): number => l.bytesBefore + l.vertex.count * l.recordBytes + l.bytesAfter;

const elementBytes = (e: PlyElement): number => e.count * sum(e.properties.map((p) => PLY_TYPE_BYTES[p.type]));
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** The type of a slot's property. */
export const slotType = (l: VertexLayout, slot: number): PlyScalarType => l.vertex.properties[l.slotProperty[slot]].type;

/**
 * The error for a binary body shorter than the header declares, naming the whole vertices it holds.
 * Used both before decoding (when the size is known) and at the end of a stream.
 */
export function truncatedBodyError(l: VertexLayout, bodyLength: number): Error {
  const n = l.vertex.count;
  const whole = Math.max(0, Math.min(n, Math.floor((bodyLength - l.bytesBefore) / l.recordBytes)));
  const others = l.bytesBefore + l.bytesAfter > 0 ? ` and ${l.bytesBefore + l.bytesAfter} bytes of other elements` : '';
  return new Error(
    `PLY: expected ${bodyBytes(l)} bytes of body (${n} vertices of ${l.recordBytes} bytes${others}, as the header declares), found ${bodyLength} bytes: ${whole} whole vertices`,
  );
}

export function trailingBytesError(l: VertexLayout, extra: number): Error {
  return new Error(
    `PLY: expected the body to end after ${bodyBytes(l)} bytes (${l.vertex.count} vertices of ${l.recordBytes} bytes${l.bytesBefore + l.bytesAfter > 0 ? ' and other elements' : ''}), found ${extra} more bytes`,
  );
}
