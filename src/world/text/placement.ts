/**
 * Where things stand: seeded rejection sampling of spots on the ground that keep clear of each other
 * and of the start eye (so the start view is never inside a tree and the sky straight above it is
 * open). Every call places its object: when the spot is crowded the search widens rather than fails,
 * so "twelve rocks" always gives twelve.
 */

export interface Placement {
  x: number;
  z: number;
  /** footprint radius */
  r: number;
}

export interface Spot {
  x: number;
  z: number;
  yaw: number;
}

/** Keep this much clear ground (m) between the start eye and any footprint. */
const EYE_CLEARANCE = 1.5;
/** Half of the horizontal angle (radians) in which counted things are placed: inside the 4:3 start view's 37.6 degrees. */
const VIEW_HALF_ANGLE = (27 * Math.PI) / 180;

function fits(placed: Placement[], x: number, z: number, r: number, slack: number): boolean {
  if (Math.hypot(x, z) < r + EYE_CLEARANCE) return false;
  for (const p of placed) {
    if (Math.hypot(p.x - x, p.z - z) < (p.r + r) * slack) return false;
  }
  return true;
}

function search(rand: () => number, placed: Placement[], r: number, sample: (widen: number) => [number, number], ok: (x: number, z: number) => boolean): Spot {
  let last: [number, number] = [0, 0];
  for (let attempt = 0; attempt < 400; attempt++) {
    // After every 100 misses: allow closer neighbours and a wider area.
    const round = Math.floor(attempt / 100);
    const [x, z] = sample(1 + 0.5 * round);
    last = [x, z];
    if (fits(placed, x, z, r, 1 - 0.25 * round) && ok(x, z)) {
      placed.push({ x, z, r });
      return { x, z, yaw: rand() * 2 * Math.PI };
    }
  }
  placed.push({ x: last[0], z: last[1], r });
  return { x: last[0], z: last[1], yaw: rand() * 2 * Math.PI };
}

/** Directions (angle from -Z, half-width, radians) already taken by counted things in the start view. */
export type Sightlines = { angle: number; half: number }[];

/**
 * A spot in front of the start camera (looking down -Z) at a distance in `range`, preferably not
 * behind another counted thing (`sight`), so that "three trees" shows three trees.
 */
export function placeInView(rand: () => number, placed: Placement[], r: number, range: [number, number], ok: (x: number, z: number) => boolean, sight: Sightlines = []): Spot {
  let tries = 0;
  const spot = search(rand, placed, r, (widen) => {
    const a = (2 * rand() - 1) * VIEW_HALF_ANGLE * Math.min(widen, 1.3);
    const d = range[0] + rand() * (range[1] - range[0]) * widen;
    return [Math.sin(a) * d, -Math.cos(a) * d];
  }, (x, z) => {
    const a = Math.atan2(x, -z), half = Math.atan2(r, Math.hypot(x, z));
    const clear = tries++ > 200 || sight.every((s) => Math.abs(s.angle - a) > s.half + half);
    return clear && ok(x, z);
  });
  sight.push({ angle: Math.atan2(spot.x, -spot.z), half: Math.atan2(r, Math.hypot(spot.x, spot.z)) });
  return spot;
}

/** A spot anywhere around the start at a distance in `range`; `front` favours the start view's side. */
export function placeAround(rand: () => number, placed: Placement[], r: number, range: [number, number], ok: (x: number, z: number) => boolean, front: boolean): Spot {
  return search(rand, placed, r, (widen) => {
    const a = front ? (2 * rand() - 1) * 0.9 : rand() * 2 * Math.PI;
    // Uniform over the ring's area, not its radius: as many things far away as the area holds.
    const r0 = range[0], r1 = range[1] * widen;
    const d = Math.sqrt(r0 * r0 + rand() * (r1 * r1 - r0 * r0));
    return [Math.sin(a) * d, -Math.cos(a) * d];
  }, ok);
}
