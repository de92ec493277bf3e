/**
 * The two inner loops of the input-view colour steps (input-view-colours.ts) as WebAssembly SIMD.
 *
 * WHY. Each step's work per pixel is a residual (W c - target: ~7 entries of W, each a weight times
 * a splat's rgb) scattered back into the gradient through the same entries. In JavaScript that is
 * three scalar multiply-adds per entry and channel, each load bounds-checked; here the three
 * channels are one f32x4 lane group (r, g, b, 0) and each entry is one vector load, multiply and add
 * each way. The stepping was ~0.6 of the colour stage, the colour stage about as long as the rest of
 * the lift. There is no WebAssembly compiler on this machine, so the module is written out here,
 * instruction by instruction (a few hundred bytes), and compiled where it is first needed.
 *
 * WHAT IS DIFFERENT. The residual is summed in float32 (the JavaScript loop sums in float64), and the
 * step size / column sum is divided in float32: results differ from the JavaScript steps by rounding
 * only (input-view-colours.test.ts holds both to the same plain Jacobi steps within 1e-5).
 *
 * Memory (one WebAssembly.Memory per call, byte offsets 16-aligned): colours, gradient and target as
 * 4 float32 per splat/pixel (the 4th always 0); column sums (float32 per splat); `start` (int32 per
 * pixel + 1); W's ring of rows: splat index (int32) and weight (float32) per entry.
 */

// ---- a minimal WebAssembly writer -----------------------------------------------------------------
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const get = (i: number) => [0x20, ...uleb(i)];
const set = (i: number) => [0x21, ...uleb(i)];
const tee = (i: number) => [0x22, ...uleb(i)];
const i32 = (n: number) => [0x41, ...sleb(n)];
const f32 = (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
const ADD = [0x6a], SHL = [0x74], LT_S = [0x48], GE_S = [0x4e];
const F32_GT = [0x5e], F32_DIV = [0x95], SELECT = [0x1b];
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], END = [0x0b];
const brIf = (depth: number) => [0x0d, ...uleb(depth)];
const i32Load = (offset = 0) => [0x28, 2, ...uleb(offset)];
const f32Load = [0x2a, 2, 0];
const simd = (op: number) => [0xfd, ...uleb(op)];
const V128_LOAD = [...simd(0x00), 4, 0], V128_STORE = [...simd(0x0b), 4, 0];
const V128_ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const F32X4_SPLAT = simd(0x13), F32X4_NEG = simd(0xe1), F32X4_ADD = simd(0xe4), F32X4_SUB = simd(0xe5);
const F32X4_MUL = simd(0xe6), F32X4_MIN = simd(0xe8), F32X4_MAX = simd(0xe9);
/** address of the 4-byte element `index` of the array at `base` (both locals) */
const at4 = (base: number, index: number) => [...get(base), ...get(index), ...i32(2), ...SHL, ...ADD];

/**
 * residuals(p, pEnd, e, start, splat, weight, target, colour, gradient): for pixels p .. pEnd - 1,
 * whose entries of W begin at entry e and end at start[p + 1] each, acc = W_p c - target_p and
 * gradient[q] += w * acc for each entry (q, w) of the pixel.
 */
function residualsBody(): number[] {
  const [p, pEnd, e, start, splat, weight, target, colour, gradient] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const e1 = 9, eo = 10, q = 11, acc = 12;
  const splatAddress = (base: number) => [...get(base), ...at4(splat, eo), ...i32Load(), ...i32(4), ...SHL, ...ADD];
  const weightSplat = [...at4(weight, eo), ...f32Load, ...F32X4_SPLAT];
  const entries = (body: number[]) => [
    ...get(e), ...set(eo),
    ...BLOCK, ...get(eo), ...get(e1), ...GE_S, ...brIf(0),
    ...LOOP, ...body, ...get(eo), ...i32(1), ...ADD, ...tee(eo), ...get(e1), ...LT_S, ...brIf(0), ...END,
    ...END,
  ];
  const code = [
    ...BLOCK, ...get(p), ...get(pEnd), ...GE_S, ...brIf(0),
    ...LOOP,
    ...at4(start, p), ...i32Load(4), ...set(e1),
    ...get(target), ...get(p), ...i32(4), ...SHL, ...ADD, ...V128_LOAD, ...F32X4_NEG, ...set(acc),
    // acc += w * colour[q]
    ...entries([...get(acc), ...weightSplat, ...splatAddress(colour), ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD, ...set(acc)]),
    // gradient[q] += w * acc
    ...entries([...splatAddress(gradient), ...tee(q), ...get(q), ...V128_LOAD, ...weightSplat, ...get(acc), ...F32X4_MUL, ...F32X4_ADD, ...V128_STORE]),
    ...get(e1), ...set(e),
    ...get(p), ...i32(1), ...ADD, ...tee(p), ...get(pEnd), ...LT_S, ...brIf(0),
    ...END,
    ...END,
  ];
  return [...vec([[3, I32], [1, V128]]), ...code, ...END];
}

/**
 * takeSteps(q, qEnd, columnSum, colour, gradient, size, maxColour): splats q .. qEnd - 1 move by
 * size / columnSum (0 where the column sum is below 1e-6) times their gradient, clamped to
 * [0, maxColour]; their gradient is cleared.
 */
function takeStepsBody(): number[] {
  const [q, qEnd, columnSum, colour, gradient, size, maxColour] = [0, 1, 2, 3, 4, 5, 6];
  const cs = 7, a = 8, step = 9, max = 10;
  const code = [
    ...get(maxColour), ...F32X4_SPLAT, ...set(max),
    ...BLOCK, ...get(q), ...get(qEnd), ...GE_S, ...brIf(0),
    ...LOOP,
    ...at4(columnSum, q), ...f32Load, ...set(cs),
    ...get(size), ...get(cs), ...F32_DIV, ...f32(0), ...get(cs), ...f32(1e-6), ...F32_GT, ...SELECT, ...F32X4_SPLAT, ...set(step),
    ...get(q), ...i32(4), ...SHL, ...set(a),
    ...get(colour), ...get(a), ...ADD,
    ...get(colour), ...get(a), ...ADD, ...V128_LOAD,
    ...get(step), ...get(gradient), ...get(a), ...ADD, ...V128_LOAD, ...F32X4_MUL,
    ...F32X4_SUB, ...get(max), ...F32X4_MIN, ...V128_ZERO, ...F32X4_MAX,
    ...V128_STORE,
    ...get(gradient), ...get(a), ...ADD, ...V128_ZERO, ...V128_STORE,
    ...get(q), ...i32(1), ...ADD, ...tee(q), ...get(qEnd), ...LT_S, ...brIf(0),
    ...END,
    ...END,
  ];
  return [...vec([[1, F32], [1, I32], [2, V128]]), ...code, ...END];
}

/** The module's bytes: memory imported as m.memory; residuals and takeSteps exported. */
export function colourStepsModuleBytes(): Uint8Array<ArrayBuffer> {
  const body = (b: number[]) => [...uleb(b.length), ...b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([
      [0x60, ...vec(new Array(9).fill([I32])), 0],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F32], [F32]]), 0],
    ])),
    ...section(2, vec([[...name('m'), ...name('memory'), 0x02, 0x00, 1]])),
    ...section(3, vec([[0], [1]])),
    ...section(7, vec([[...name('residuals'), 0x00, 0], [...name('takeSteps'), 0x00, 1]])),
    ...section(10, vec([body(residualsBody()), body(takeStepsBody())])),
  ]);
}

export interface ColourStepsKernel {
  residuals(p: number, pEnd: number, e: number, start: number, splat: number, weight: number, target: number, colour: number, gradient: number): void;
  takeSteps(q: number, qEnd: number, columnSum: number, colour: number, gradient: number, size: number, maxColour: number): void;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available (the caller steps in JavaScript). */
function colourStepsModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = colourStepsModuleBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * A kernel and memory of this size are kept for the calls that fit in it: a fresh memory's pages are
 * zeroed by the system at their first touch, which cost 8-25 ms for the ~8 MB of an expansion's lift
 * at 512x384 on this machine (measured alone; zeroing the kept one again takes ~1 ms). Generate's
 * larger lifts take a fresh memory, as before, and do not hold it afterwards. The kept memory is made
 * at its full size once and never grown: growing detaches the old buffer, and (measured) a kept memory
 * grown from the warm-up's size to a stop's slowed every stage of explore's next stops, the model's
 * and the coverage's too, by up to 2x (V8 drops its optimised typed-array code once any ArrayBuffer
 * has been detached).
 */
const KEEP_BYTES = 16 << 20;
let kept: { kernel: ColourStepsKernel; memory: WebAssembly.Memory } | null = null;

/**
 * The kernel on a memory whose first `bytes` are zero (as a fresh memory's), at least that large; null
 * where WebAssembly SIMD or that memory is not available. Valid until the next call (the memory may be
 * the one this call hands out again).
 */
export function colourStepsKernel(bytes: number): { kernel: ColourStepsKernel; memory: WebAssembly.Memory } | null {
  const module = colourStepsModule();
  if (!module) return null;
  const keep = bytes <= KEEP_BYTES;
  if (keep && kept) {
    new Uint8Array(kept.memory.buffer, 0, bytes).fill(0);
    return kept;
  }
  const pages = Math.ceil((keep ? KEEP_BYTES : bytes) / 65536);
  if (pages > 65536) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: pages });
    const instance = new WebAssembly.Instance(module, { m: { memory } });
    const made = { kernel: instance.exports as unknown as ColourStepsKernel, memory };
    if (keep) kept = made;
    return made;
  } catch {
    return null; // no room for the memory: the JavaScript steps need less
  }
}
