/**
 * A fixed computation (4M Math.exp and typed-array adds) that no change to the project touches: an
 * anchor for comparing checkouts, where the other anchors (a render, a projection) are code the
 * comparison may change. Used by bench/render.bench.ts and bench/expand.bench.ts.
 */
export function fixedComputation(): void {
  const buffer = new Float64Array(4096);
  let x = 0;
  for (let i = 0; i < 4_000_000; i++) {
    buffer[i & 4095] += Math.exp(-(i & 1023) * 1e-3);
    x += buffer[(i * 7) & 4095];
  }
  if (x === 42) console.log(''); // keeps the loop from being optimised away
}

/**
 * The same computation timed inside a browser page (page.evaluate(fixedComputationInPage)): a function
 * handed to the page cannot import, so it is written out whole here. Returns its milliseconds.
 */
export function fixedComputationInPage(): number {
  const t0 = performance.now();
  const buffer = new Float64Array(4096);
  let x = 0;
  for (let i = 0; i < 4_000_000; i++) {
    buffer[i & 4095] += Math.exp(-(i & 1023) * 1e-3);
    x += buffer[(i * 7) & 4095];
  }
  if (x === 42) console.log('');
  return performance.now() - t0;
}
