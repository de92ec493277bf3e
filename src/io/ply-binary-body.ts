/**
 * Decodes a binary PLY body that arrives in chunks of any size (a whole file, or 4 MB pieces of a
 * stream) straight into the columns: skip the elements before the vertices, decode the vertices in
 * batches, skip the elements after, and reject anything more.
 *
 * Each batch of whole records is copied into one small, 4-byte-aligned buffer (chunks split records
 * anywhere and start at any offset). When every used property is a float32 at an aligned offset and
 * the file's byte order is the machine's, a Float32Array over that buffer IS the batch of raw values;
 * otherwise a DataView transcodes just the used properties, one property at a time so the type
 * switch runs per batch, not per value.
 */
import { type PlyScalarType } from './ply-header.ts';
import { type VertexLayout, slotType, trailingBytesError, truncatedBodyError } from './ply-vertex-layout.ts';
import { type RecordPlan, type RestPlan, convertRecords, recordPlanNames, restPlan } from './ply-vertex-convert.ts';
import type { SplatColumnsBuilder } from './splat-columns-builder.ts';

const BATCH_BYTES = 1 << 19;
const NATIVE_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class PlyBinaryBodyDecoder {
  /** Body bytes consumed so far. */
  consumed = 0;
  /** Vertices decoded into the columns so far. */
  decoded = 0;
  /** Bytes past the declared body; counted to the end of the stream so the error can say how many. */
  private extra = 0;
  private readonly batch: Uint8Array;
  private batchFill = 0;
  private readonly direct: boolean;
  private readonly plan: RecordPlan;
  private readonly rest: RestPlan;
  private readonly scratch: Float32Array;
  private readonly littleEndian: boolean;

  constructor(
    private readonly layout: VertexLayout,
    private readonly out: SplatColumnsBuilder,
  ) {
    const { recordBytes, slotProperty, propertyOffsets } = layout;
    this.littleEndian = layout.header.format === 'binary_little_endian';
    const batchRecords = Math.max(1, Math.min(layout.vertex.count, Math.floor(BATCH_BYTES / recordBytes)));
    this.batch = new Uint8Array(batchRecords * recordBytes);
    const slots = slotProperty.length;
    const offsetOf = (slot: number) => propertyOffsets[slotProperty[slot]];
    this.direct =
      this.littleEndian === NATIVE_LITTLE_ENDIAN &&
      recordBytes % 4 === 0 &&
      Array.from(slotProperty, (_, slot) => slotType(layout, slot) === 'float32' && offsetOf(slot) % 4 === 0).every(Boolean);
    this.plan = {
      // Direct: values sit at their float index in the record. Transcoded: slot s sits at index s.
      slotIndex: this.direct ? Int32Array.from(slotProperty, (_, slot) => offsetOf(slot) / 4) : Int32Array.from(slotProperty, (_, slot) => slot),
      restPerChannel: layout.restPerChannel,
      slotNames: recordPlanNames(layout.restPerChannel),
    };
    this.rest = restPlan(this.plan);
    this.scratch = this.direct ? new Float32Array(0) : new Float32Array(batchRecords * slots);
  }

  push(chunk: Uint8Array): void {
    const { bytesBefore, recordBytes } = this.layout;
    const vertexEnd = bytesBefore + this.layout.vertex.count * recordBytes;
    const bodyEnd = vertexEnd + this.layout.bytesAfter;
    let pos = 0;
    while (pos < chunk.length) {
      const at = this.consumed;
      if (at < bytesBefore || at >= vertexEnd) {
        // Skipping other elements, or past the end of the body.
        if (at >= bodyEnd) {
          this.extra += chunk.length - pos;
          return;
        }
        const limit = at < bytesBefore ? bytesBefore : bodyEnd;
        const n = Math.min(chunk.length - pos, limit - at);
        pos += n;
        this.consumed += n;
        continue;
      }
      const remainingRecords = this.layout.vertex.count - this.decoded;
      const batchBytes = Math.min(this.batch.length, remainingRecords * recordBytes);
      const n = Math.min(chunk.length - pos, batchBytes - this.batchFill);
      this.batch.set(chunk.subarray(pos, pos + n), this.batchFill);
      this.batchFill += n;
      pos += n;
      this.consumed += n;
      if (this.batchFill === batchBytes) {
        this.decodeBatch(batchBytes / recordBytes);
        this.batchFill = 0;
      }
    }
  }

  /** Call after the last chunk: a short or a long body is an error that says by how much. */
  finish(): void {
    if (this.extra > 0) throw trailingBytesError(this.layout, this.extra);
    if (this.consumed < this.layout.bytesBefore + this.layout.vertex.count * this.layout.recordBytes + this.layout.bytesAfter) {
      throw truncatedBodyError(this.layout, this.consumed);
    }
  }

  private decodeBatch(records: number): void {
    this.out.reserve(this.decoded + records);
    const { recordBytes } = this.layout;
    if (this.direct) {
      const values = new Float32Array(this.batch.buffer, this.batch.byteOffset, (records * recordBytes) / 4);
      convertRecords(values, recordBytes / 4, records, this.plan, this.rest, this.out, this.decoded);
    } else {
      const slots = this.layout.slotProperty.length;
      const view = new DataView(this.batch.buffer, this.batch.byteOffset, records * recordBytes);
      for (let slot = 0; slot < slots; slot++) {
        const offset = this.layout.propertyOffsets[this.layout.slotProperty[slot]];
        transcode(view, slotType(this.layout, slot), offset, recordBytes, records, this.scratch, slot, slots, this.littleEndian);
      }
      convertRecords(this.scratch, slots, records, this.plan, this.rest, this.out, this.decoded);
    }
    this.decoded += records;
  }
}

/** One property of `records` records into out[slot + r * stride], as float32. */
function transcode(
  view: DataView,
  type: PlyScalarType,
  offset: number,
  recordBytes: number,
  records: number,
  out: Float32Array,
  slot: number,
  stride: number,
  le: boolean,
): void {
  const end = records * recordBytes;
  let o = slot;
  switch (type) {
    case 'float32':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getFloat32(p, le);
      break;
    case 'float64':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getFloat64(p, le);
      break;
    case 'int8':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getInt8(p);
      break;
    case 'uint8':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getUint8(p);
      break;
    case 'int16':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getInt16(p, le);
      break;
    case 'uint16':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getUint16(p, le);
      break;
    case 'int32':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getInt32(p, le);
      break;
    case 'uint32':
      for (let p = offset; p < end; p += recordBytes, o += stride) out[o] = view.getUint32(p, le);
      break;
  }
}
