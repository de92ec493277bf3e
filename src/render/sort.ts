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
  for (let i = 0; i < count; i++) order[i] = i;
  if (count < 2) return order;
  // The three digits' histograms in one pass over the keys (a pass's histogram does not depend on
  // the order the earlier passes left).
  const histograms = new Uint32Array(3 * BUCKETS);
  for (let i = 0; i < count; i++) {
    const key = bits[i];
    histograms[key & MASK]++;
    histograms[BUCKETS + ((key >>> BITS) & MASK)]++;
    histograms[2 * BUCKETS + (key >>> (2 * BITS))]++;
  }
  // keysA starts as the caller's array, read and never written: once a pass has moved the keys out
  // of it, the pass after writes into an array of its own instead.
  let keysA: Uint32Array = bits;
  let keysB: Uint32Array = new Uint32Array(count);
  let orderB = new Uint32Array(count);

  for (let pass = 0, shift = 0; pass < 3; pass++, shift += BITS) {
    const histogram = histograms.subarray(pass * BUCKETS, (pass + 1) * BUCKETS);
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
    const tk = keysA === bits ? new Uint32Array(count) : keysA;
    keysA = keysB; keysB = tk;
    const to = order; order = orderB; orderB = to;
  }
  return order;
}
