/**
 * Depth discontinuities: where two neighbouring pixels see different surfaces (an object in front
 * of the background), not one steep surface. Lifting must not join them: a splat that spans the jump
 * is a "rubber sheet" stretched from the foreground to the background.
 *
 * Test: a surface tilted by theta from fronto-parallel changes depth between neighbouring pixels by
 * about d tan(theta) / f. A jump larger than tan(edgeAngle) / f relative to the nearer depth would
 * need a surface steeper than edgeAngle (85 degrees by default), so it is taken as a discontinuity.
 * The threshold scales with 1/f, so it means the same at every resolution.
 */

/** Bits of the edge mask: on which side of a pixel the depth jumps. */
export const EDGE_LEFT = 1, EDGE_RIGHT = 2, EDGE_UP = 4, EDGE_DOWN = 8;

/** Relative depth jump between neighbours above which they belong to different surfaces. */
export const edgeJumpThreshold = (edgeAngleDegrees: number, focal: number): number =>
  Math.tan((edgeAngleDegrees * Math.PI) / 180) / focal;

/** Whether depths a and b (metres, Infinity for sky) are on different surfaces. Two skies are not. */
export function isDepthJump(a: number, b: number, threshold: number): boolean {
  if (a === b) return false;
  return Math.abs(a - b) > threshold * Math.min(a, b);
}

/** Per-pixel bits EDGE_* of the sides where the depth jumps (image borders are not edges). */
export function depthEdges(depth: Float32Array, width: number, height: number, threshold: number): Uint8Array {
  const edges = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const d = depth[i];
      if (x + 1 < width && isDepthJump(d, depth[i + 1], threshold)) {
        edges[i] |= EDGE_RIGHT;
        edges[i + 1] |= EDGE_LEFT;
      }
      if (y + 1 < height && isDepthJump(d, depth[i + width], threshold)) {
        edges[i] |= EDGE_DOWN;
        edges[i + width] |= EDGE_UP;
      }
    }
  }
  return edges;
}
