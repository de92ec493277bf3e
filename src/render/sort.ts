/**
 * Depth sort for the rasterizer: a stable LSD radix sort of non-negative float32 keys.
 *
 * For non-negative IEEE-754 floats the bit pattern read as an unsigned integer increases with the
 * value, so sorting the bits sorts the numbers; three passes of 11 bits cover all 32 (a pass whose
 * digit is the same for every key is skipped). Stable: equal keys keep their input order, so ties in
 * depth are broken by cloud order, deterministically.
 */

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;

/**
 * Returns the permutation that sorts `keys[0..count)` ascending: order[r] is the index of the key of
 * rank r. Keys must be non-negative, not NaN (-0 counts as larger than every positive key: do not pass it).
 */
export function sortByKey(keys: Float32Array, count = keys.length): Uint32Array {
  if (count > keys.length) throw new Error(`sortByKey: expected count <= ${keys.length}, found ${count}`);
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, count);
  let order = new Uint32Array(count);
  let keysA = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    order[i] = i;
    keysA[i] = bits[i];
  }
  if (count < 2) return order;
  let orderB = new Uint32Array(count);
  let keysB = new Uint32Array(count);
  const histogram = new Uint32Array(BUCKETS);

  for (let shift = 0; shift < 32; shift += BITS) {
    histogram.fill(0);
    for (let i = 0; i < count; i++) histogram[(keysA[i] >>> shift) & MASK]++;
    // All keys share this digit: the pass would not move anything.
    if (histogram[(keysA[0] >>> shift) & MASK] === count) continue;
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = histogram[b];
      histogram[b] = sum;
      sum += c;
    }
    for (let i = 0; i < count; i++) {
      const key = keysA[i];
      const dst = histogram[(key >>> shift) & MASK]++;
      keysB[dst] = key;
      orderB[dst] = order[i];
    }
    const tk = keysA; keysA = keysB; keysB = tk;
    const to = order; order = orderB; orderB = to;
  }
  return order;
}
