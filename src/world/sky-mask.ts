/**
 * Which pixels are sky (or too far to place): they go onto the far shell instead of being lifted at
 * their depth. A pixel is sky when
 *  - its depth is missing (<= 0, not finite) or beyond `farLimit`, or
 *  - the model has very low confidence there AND it is connected to the top of the picture through
 *    such pixels: depth models are least sure about the sky, and sky is what touches the top. Low
 *    confidence elsewhere (a reflection, a thin railing) stays where the model put it.
 */
export function skyMask(
  depth: Float32Array, confidence: Float32Array | null, width: number, height: number,
  farLimit: number, skyConfidence: number,
): Uint8Array {
  const sky = new Uint8Array(width * height);
  for (let i = 0; i < sky.length; i++) {
    const d = depth[i];
    if (!(d > 0 && d <= farLimit)) sky[i] = 1;
  }
  if (!confidence) return sky;
  // Flood fill from the top row through low-confidence or already-sky pixels.
  const low = (i: number) => confidence[i] < skyConfidence || sky[i] === 1;
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  for (let x = 0; x < width; x++) {
    if (low(x)) { seen[x] = 1; stack[top++] = x; }
  }
  const visit = (j: number) => {
    if (!seen[j] && low(j)) { seen[j] = 1; stack[top++] = j; }
  };
  while (top > 0) {
    const i = stack[--top];
    sky[i] = 1;
    const x = i % width;
    if (x > 0) visit(i - 1);
    if (x + 1 < width) visit(i + 1);
    if (i >= width) visit(i - width);
    if (i + width < sky.length) visit(i + width);
  }
  return sky;
}
