/**
 * Camera paths for exploring a world from its start pose (the CLI's --path, the benchmark):
 *   turn  - on the spot, turning right by 360 / steps degrees per step, all the way round;
 *   orbit - round a centre `distance` metres ahead of the start, looking at it, all the way round;
 *   walk  - forward (level) for `distance` x 0.6 metres in all, looking left and right by up to
 *           25 degrees as it goes, so new ground comes into view at the sides as well as ahead.
 * Each path has `steps` poses and does not include the start pose itself.
 */
import { Pose } from '../../core/camera.ts';
import { multiplyQuat, quatFromAxisAngle } from '../../core/quat.ts';
import type { Vec3 } from '../../core/vec3.ts';

export const PATH_KINDS = ['turn', 'orbit', 'walk'] as const;
/**
 * The most stops one tour takes (--steps, or cameras in a poses file): each remembers its view (1.5 MB
 * at 512x384), and at about a second a stop, more is an hour's run that a typo would start.
 */
export const MAX_STOPS = 360;
export type PathKind = (typeof PATH_KINDS)[number];
/**
 * The farthest a camera's eye, target or position may lie from the origin along any axis, in metres
 * (poses.json here, render's --eye and --target in the CLI). A world is made round its first view at the
 * origin (the sky shell 200 m out, paths tens of metres long), and its splat positions are float32, whose
 * step is 1 mm at 1e4 m, 6 cm at 1e6 m and 1 m from 8.4e6 m: up to 1e6 m a view still places splats
 * within centimetres, farther out they soon snap metres apart. An eye at 1e30 m was accepted: explore's
 * one stop there added 196608 splats whose x all rounded to float32 values 8e22 m apart round 1e30.
 */
export const MAX_COORDINATE = 1e6;

/** Whether each of a point's coordinates is within MAX_COORDINATE metres of the origin. */
export function withinWorld(point: readonly number[]): boolean {
  return point.every((x) => Math.abs(x) <= MAX_COORDINATE);
}

const UP: Vec3 = [0, 1, 0];

/** The start pose turned left by `degrees` about the world's up axis through its eye. */
function yawed(start: Pose, degrees: number, eye: Vec3 = start.position): Pose {
  return new Pose(eye, multiplyQuat(quatFromAxisAngle(UP, (degrees * Math.PI) / 180), start.rotation));
}

export function cameraPath(kind: PathKind, start: Pose, steps: number, distance: number): Pose[] {
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`path: expected a whole number of steps >= 1, found ${steps}`);
  if (!(distance > 0 && Number.isFinite(distance))) throw new Error(`path: expected a positive distance, found ${distance}`);
  const poses: Pose[] = [];
  const f = start.forward();
  const level = Math.hypot(f[0], f[2]) > 1e-6 ? [f[0] / Math.hypot(f[0], f[2]), 0, f[2] / Math.hypot(f[0], f[2])] : [0, 0, -1];
  const e = start.position;
  for (let i = 1; i <= steps; i++) {
    const share = i / steps;
    if (kind === 'turn') {
      poses.push(yawed(start, -360 * share));
    } else if (kind === 'orbit') {
      const centre: Vec3 = [e[0] + distance * f[0], e[1] + distance * f[1], e[2] + distance * f[2]];
      const a = (-2 * Math.PI * share), c = Math.cos(a), s = Math.sin(a);
      const rx = e[0] - centre[0], rz = e[2] - centre[2];
      // The eye turns about the vertical through the centre; the camera turns with it.
      const eye: Vec3 = [centre[0] + c * rx + s * rz, e[1], centre[2] - s * rx + c * rz];
      poses.push(yawed(start, (a * 180) / Math.PI, eye));
    } else {
      const along = 0.6 * distance * share;
      const eye: Vec3 = [e[0] + along * level[0], e[1], e[2] + along * level[2]];
      poses.push(yawed(start, 25 * Math.sin(2 * Math.PI * share), eye));
    }
  }
  return poses;
}

/**
 * poses.json: an array of cameras, each either { "eye": [x,y,z], "target": [x,y,z], "up"?: [x,y,z] }
 * or { "position": [x,y,z], "rotation": [w,x,y,z] } (camera-to-world, camera.ts's convention).
 * Any other key is refused: a misspelt "up" or a "fov" that would be ignored gives another tour.
 */
export function parsePoses(text: string, name = 'poses'): Pose[] {
  let data: unknown;
  try {
    // (a byte-order mark, as Windows editors save UTF-8, is not JSON but says nothing wrong)
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`${name}: expected JSON, found a syntax error (${(error as Error).message.split('\n')[0]})`);
  }
  if (!Array.isArray(data) || data.length === 0) throw new Error(`${name}: expected a non-empty JSON array of cameras, found ${Array.isArray(data) ? 'an empty array' : shown(data)}`);
  if (data.length > MAX_STOPS) throw new Error(`${name}: expected at most ${MAX_STOPS} cameras (as --steps), found ${data.length}`);
  const vec = (v: unknown, n: number, what: string, i: number): number[] => {
    if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      // (JSON.stringify would show a number too large for a double, read as Infinity, as null)
      const found = Array.isArray(v) ? clipped(`[${v.map((x) => (typeof x === 'number' ? String(x) : JSON.stringify(x))).join(',')}]`) : shown(v);
      throw new Error(`${name}: expected camera ${i} "${what}" as ${n} finite numbers, found ${found}`);
    }
    return v as number[];
  };
  const point = (v: unknown, what: string, i: number): Vec3 => {
    const p = vec(v, 3, what, i) as Vec3;
    if (!withinWorld(p)) throw new Error(`${name}: expected camera ${i} "${what}" within ${MAX_COORDINATE} m of the origin on each axis, found [${p.join(',')}]`);
    return p;
  };
  const onlyKeys = (entry: object, allowed: string[], i: number) => {
    const extra = Object.keys(entry).find((key) => !allowed.includes(key));
    if (extra !== undefined) throw new Error(`${name}: expected camera ${i} to hold only ${allowed.map((k) => `"${k}"`).join(', ')}, found ${clipped(JSON.stringify(extra))}`);
  };
  return data.map((entry: Record<string, unknown>, i) => {
    if (entry && typeof entry === 'object' && 'eye' in entry) {
      onlyKeys(entry, ['eye', 'target', 'up'], i);
      const up = entry.up === undefined ? UP : (vec(entry.up, 3, 'up', i) as Vec3);
      const eye = point(entry.eye, 'eye', i), target = point(entry.target, 'target', i);
      if (eye.every((v, c) => v === target[c])) throw new Error(`${name}: expected camera ${i} "target" away from its "eye", found both at [${eye.join(', ')}]`);
      try {
        return Pose.lookAt(eye, target, up);
      } catch (error) {
        throw new Error(`${name}: camera ${i}: ${(error as Error).message}`);
      }
    }
    if (entry && typeof entry === 'object' && 'position' in entry) {
      onlyKeys(entry, ['position', 'rotation'], i);
      const q = vec(entry.rotation, 4, 'rotation', i);
      if (!(Math.hypot(...q) > 1e-9)) throw new Error(`${name}: expected camera ${i} "rotation" as a non-zero quaternion, found ${JSON.stringify(q)}`);
      return new Pose(point(entry.position, 'position', i), q as [number, number, number, number]);
    }
    throw new Error(`${name}: expected camera ${i} with "eye" and "target", or "position" and "rotation", found ${shown(entry)}`);
  });
}

/** A JSON value as an error's found part: none for a missing one, an object by its first keys, a long text cut. */
function shown(value: unknown): string {
  if (value === undefined) return 'none';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : clipped(`an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  return clipped(JSON.stringify(value));
}

const clipped = (text: string, max = 80): string => (text.length > max ? `${text.slice(0, max)}...` : text);
