/**
 * Reads INRIA 3DGS PLY files (the output of the reference trainer, and what SuperSplat, SIBR,
 * splat-transform and the Blender/Unreal importers exchange) into a SplatCloud.
 *
 * Conventions applied (see opencv-axes.ts and ply-vertex-convert.ts): OpenCV axes -> program axes,
 * sigmoid(opacity), exp(scale_*), quaternion rot_0..3 = w x y z normalised, colour = 0.5 + SH_C0 *
 * f_dc, f_rest channel-major -> [coefficient][rgb] with the parity signs of the axis change.
 *
 * SH degree: the file declares it by its count of f_rest (0, 9, 24, 45 -> 0..3); the cloud gets the
 * lowest degree that drops only coefficients that are exactly zero everywhere (splat-columns-builder).
 *
 * Lenient where tools differ harmlessly (property order, extra properties of any type, property
 * types other than float, ascii and big-endian bodies, CRLF headers, comments, other fixed-size
 * elements), strict about anything that would make the splats wrong: every problem is an Error
 * whose one-line message starts with "PLY:".
 */
import type { SplatCloud } from '../core/splat-cloud.ts';
import { PlyAsciiBodyDecoder } from './ply-ascii-body.ts';
import { PlyBinaryBodyDecoder } from './ply-binary-body.ts';
import { findPlyHeaderEnd, parsePlyHeader } from './ply-header.ts';
import { type VertexLayout, bodyBytes, trailingBytesError, truncatedBodyError, vertexLayout } from './ply-vertex-layout.ts';
import { SplatColumnsBuilder } from './splat-columns-builder.ts';

export interface ReadPlyStreamOptions {
  /** Size of the whole file when known (for progress, and to reject absurd counts before allocating). */
  totalBytes?: number;
  onProgress?: (fraction: number, stage: string) => void;
  signal?: AbortSignal;
}

/** A whole PLY file in memory -> SplatCloud. */
export function readPly(bytes: Uint8Array): SplatCloud {
  const layout = vertexLayout(parsePlyHeader(bytes));
  const body = bytes.subarray(layout.header.byteLength);
  checkBodySize(layout, body.length, true);
  const out = new SplatColumnsBuilder(layout.vertex.count, layout.restPerChannel, 'PLY');
  out.reserve(layout.vertex.count);
  const decoder = bodyDecoder(layout, out);
  decoder.push(body);
  decoder.finish();
  return out.finish(layout.vertex.count);
}

/**
 * A PLY file arriving in chunks (a file stream, a fetch body) -> SplatCloud. The header is parsed
 * from the first chunk(s); the body is decoded chunk by chunk straight into the cloud's columns, so
 * memory is the cloud plus one chunk. Progress is reported per chunk as 'reading PLY'; an aborted
 * signal stops the read at the next chunk with the signal's reason.
 */
export async function readPlyStream(chunks: AsyncIterable<Uint8Array>, options: ReadPlyStreamOptions = {}): Promise<SplatCloud> {
  const { totalBytes, onProgress, signal } = options;
  signal?.throwIfAborted();
  let head: Uint8Array = new Uint8Array(0);
  let layout: VertexLayout | null = null;
  let decoder: PlyBinaryBodyDecoder | PlyAsciiBodyDecoder | null = null;
  let out: SplatColumnsBuilder | null = null;
  let read = 0;
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    read += chunk.length;
    if (!decoder) {
      head = concat(head, chunk);
      const end = findPlyHeaderEnd(head, false);
      if (end < 0) continue;
      layout = vertexLayout(parsePlyHeader(head));
      out = new SplatColumnsBuilder(layout.vertex.count, layout.restPerChannel, 'PLY');
      if (totalBytes !== undefined && totalBytes >= read) {
        // The size is known: allocate once, after checking the body can hold the declared count.
        // (A totalBytes below what has already arrived is a wrong claim; the columns then grow.)
        checkBodySize(layout, totalBytes - end, false);
        out.reserve(layout.vertex.count);
      }
      decoder = bodyDecoder(layout, out);
      decoder.push(head.subarray(end));
      head = new Uint8Array(0);
    } else {
      decoder.push(chunk);
    }
    if (onProgress) {
      const fraction = totalBytes ? read / totalBytes : layout!.vertex.count ? decoder.decoded / layout!.vertex.count : 1;
      onProgress(Math.min(1, fraction), 'reading PLY');
    }
  }
  signal?.throwIfAborted();
  if (!decoder) {
    findPlyHeaderEnd(head, true); // throws the precise reason: bad magic, no end_header, empty
    throw new Error('PLY: expected a header, found none');
  }
  decoder.finish();
  return out!.finish(layout!.vertex.count);
}

function bodyDecoder(layout: VertexLayout, out: SplatColumnsBuilder): PlyBinaryBodyDecoder | PlyAsciiBodyDecoder {
  return layout.header.format === 'ascii' ? new PlyAsciiBodyDecoder(layout, out) : new PlyBinaryBodyDecoder(layout, out);
}

/**
 * Before allocating, rejects a body too small for the declared counts (and, when `exact`, one with
 * bytes to spare), so a corrupt count never turns into a huge allocation.
 */
function checkBodySize(layout: VertexLayout, available: number, exact: boolean): void {
  if (layout.header.format === 'ascii') {
    // Each number takes at least one character and one separator (the last may end the file).
    const numbers = layout.numbersBefore + layout.vertex.count * layout.vertex.properties.length + layout.numbersAfter;
    if (numbers * 2 - 1 > available) {
      throw new Error(`PLY: expected an ascii body that can hold the ${numbers} numbers of ${layout.vertex.count} vertices the header declares, found ${available} bytes, room for at most ${Math.ceil(available / 2)} numbers`);
    }
    return;
  }
  const expected = bodyBytes(layout);
  if (available < expected) throw truncatedBodyError(layout, available);
  if (exact && available > expected) throw trailingBytesError(layout, available - expected);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
