/**
 * Decodes an ascii PLY body arriving in chunks: whitespace-separated numbers, counted against the
 * header's elements (other elements are counted and skipped). Line breaks are not required to match
 * items, as in the common readers. Numbers of each vertex go into a batch of raw values and then
 * through the same conversion as binary files.
 */
import { latin1, quote } from './ply-header.ts';
import type { VertexLayout } from './ply-vertex-layout.ts';
import { type RecordPlan, type RestPlan, convertRecords, recordPlanNames, restPlan } from './ply-vertex-convert.ts';
import type { SplatColumnsBuilder } from './splat-columns-builder.ts';

const BATCH_RECORDS = 4096;
/** No number in a splat file needs more characters than this; a longer "token" is binary junk. */
const MAX_TOKEN = 256;
const SEPARATORS = /[ \t\r\n]+/;

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class PlyAsciiBodyDecoder {
  /** Numbers read so far, over all elements. */
  private numbers = 0;
  /** Vertices decoded into the columns so far. */
  decoded = 0;
  /** Body bytes consumed so far. */
  consumed = 0;
  private carry = '';
  private readonly perVertex: number;
  private readonly values: Float32Array;
  private readonly plan: RecordPlan;
  private readonly rest: RestPlan;
  private readonly vertexStart: number;
  private readonly vertexEnd: number;
  private readonly bodyEnd: number;

  constructor(
    private readonly layout: VertexLayout,
    private readonly out: SplatColumnsBuilder,
  ) {
    this.perVertex = layout.vertex.properties.length;
    this.values = new Float32Array(Math.max(1, Math.min(BATCH_RECORDS, layout.vertex.count)) * this.perVertex);
    // A record in the batch holds every vertex property in header order.
    this.plan = { slotIndex: layout.slotProperty, restPerChannel: layout.restPerChannel, slotNames: recordPlanNames(layout.restPerChannel) };
    this.rest = restPlan(this.plan);
    this.vertexStart = layout.numbersBefore;
    this.vertexEnd = this.vertexStart + layout.vertex.count * this.perVertex;
    this.bodyEnd = this.vertexEnd + layout.numbersAfter;
  }

  push(chunk: Uint8Array): void {
    this.consumed += chunk.length;
    // Only text up to the last separator holds whole numbers; the rest waits for the next chunk.
    let cut = chunk.length;
    while (cut > 0 && !isSpace(chunk[cut - 1])) cut--;
    if (cut === 0) {
      this.carry += latin1(chunk, 0, chunk.length);
      this.checkCarry();
      return;
    }
    const text = this.carry + latin1(chunk, 0, cut);
    this.carry = latin1(chunk, cut, chunk.length);
    this.checkCarry();
    this.tokens(text);
  }

  finish(): void {
    this.tokens(this.carry);
    this.carry = '';
    this.flush();
    if (this.numbers < this.bodyEnd) {
      const n = this.layout.vertex.count;
      if (this.numbers < this.vertexEnd) {
        const inVertices = Math.max(0, this.numbers - this.vertexStart);
        const whole = Math.floor(inVertices / this.perVertex);
        throw new Error(
          `PLY: expected ${n} vertices of ${this.perVertex} numbers (as the header declares), found ${whole} whole vertices in the ascii body` +
            (inVertices % this.perVertex ? ` and ${inVertices % this.perVertex} more numbers` : ''),
        );
      }
      throw new Error(`PLY: expected ${this.bodyEnd - this.vertexEnd} numbers of other elements after the ${n} vertices, found ${this.numbers - this.vertexEnd}`);
    }
  }

  private checkCarry(): void {
    if (this.carry.length > MAX_TOKEN) {
      throw new Error(`PLY: expected whitespace-separated numbers in the ascii body, found ${quote(this.carry)} (over ${MAX_TOKEN} characters)`);
    }
  }

  private tokens(text: string): void {
    const words = text.split(SEPARATORS);
    const perVertex = this.perVertex;
    for (const word of words) {
      if (word === '') continue;
      const at = this.numbers;
      if (at >= this.bodyEnd) {
        throw new Error(`PLY: expected the ascii body to end after the ${this.bodyEnd} numbers the header declares, found more: ${quote(word)}`);
      }
      const value = +word;
      if (value !== value && !/^[+-]?nan$/i.test(word)) {
        throw new Error(`PLY: expected a number, found ${quote(word)} in the ascii body (${this.describe(at)})`);
      }
      this.numbers++;
      if (at < this.vertexStart || at >= this.vertexEnd) continue;
      const inVertices = at - this.vertexStart;
      const batchIndex = inVertices - this.decoded * perVertex;
      this.values[batchIndex] = value;
      if (batchIndex + 1 === this.values.length) this.flush();
    }
  }

  /** Converts the whole vertices waiting in the batch. */
  private flush(): void {
    const inVertices = Math.min(this.numbers, this.vertexEnd) - this.vertexStart;
    const records = Math.floor(inVertices / this.perVertex) - this.decoded;
    if (records <= 0) return;
    this.out.reserve(this.decoded + records);
    convertRecords(this.values, this.perVertex, records, this.plan, this.rest, this.out, this.decoded);
    this.decoded += records;
  }

  private describe(at: number): string {
    if (at >= this.vertexStart && at < this.vertexEnd) {
      const i = at - this.vertexStart;
      return `vertex ${Math.floor(i / this.perVertex)}, property ${this.layout.vertex.properties[i % this.perVertex].name}`;
    }
    return `number ${at} of the body, outside the vertices`;
  }
}
