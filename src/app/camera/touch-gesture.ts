/**
 * Touch gestures reduced to numbers: one finger looks around, two fingers move (pinch apart to go
 * forward, drag both to slide sideways or up/down). Pure so it can be tested without touch events.
 */
export interface TouchPoint {
  id: number;
  x: number;
  y: number;
}

export interface TouchMotion {
  /** One-finger drag in pixels (look). */
  look: [number, number];
  /** Two-finger centroid drag in pixels (slide right/up). */
  pan: [number, number];
  /** Change of the distance between two fingers in pixels; positive = spreading = move forward. */
  pinch: number;
}

const NONE: TouchMotion = { look: [0, 0], pan: [0, 0], pinch: 0 };

/**
 * Motion between two snapshots of the active touches. Only fingers present in both snapshots count,
 * so lifting or adding a finger never produces a jump.
 */
export function touchMotion(prev: readonly TouchPoint[], next: readonly TouchPoint[]): TouchMotion {
  const pairs = next.flatMap((n) => {
    const p = prev.find((q) => q.id === n.id);
    return p ? [[p, n] as const] : [];
  });
  if (pairs.length !== prev.length || pairs.length !== next.length) return NONE;
  if (pairs.length === 1) {
    const [p, n] = pairs[0];
    return { ...NONE, look: [n.x - p.x, n.y - p.y] };
  }
  if (pairs.length === 2) {
    const [[p0, n0], [p1, n1]] = pairs;
    const pan: [number, number] = [(n0.x + n1.x - p0.x - p1.x) / 2, (n0.y + n1.y - p0.y - p1.y) / 2];
    const pinch = Math.hypot(n1.x - n0.x, n1.y - n0.y) - Math.hypot(p1.x - p0.x, p1.y - p0.y);
    return { look: [0, 0], pan, pinch };
  }
  return NONE;
}
