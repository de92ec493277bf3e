/**
 * The view in the URL hash, so a view can be shared and reloaded:
 *   #cam=x,y,z,yaw,pitch,fov   (metres; yaw and pitch in degrees, see view-state.ts; vertical FoV in degrees)
 * Other hash parameters are kept as they are.
 */
import type { ViewState } from './view-state.ts';
import { clampPitch } from './view-state.ts';

const KEY = 'cam';
const DEG = 180 / Math.PI;

/** Rounds for a readable URL: millimetres and hundredths of a degree are finer than anyone can see. */
const fmt = (v: number, digits: number) => {
  const s = v.toFixed(digits).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
};

export function encodeViewHash(view: ViewState, existingHash = ''): string {
  const params = new URLSearchParams(existingHash.replace(/^#/, ''));
  const [x, y, z] = view.position;
  const value = [fmt(x, 3), fmt(y, 3), fmt(z, 3), fmt(view.yaw * DEG, 2), fmt(view.pitch * DEG, 2), fmt(view.fovDeg, 2)].join(',');
  params.set(KEY, value);
  // URLSearchParams would percent-encode the commas; they are legal in a fragment and easier to read.
  return '#' + params.toString().replaceAll('%2C', ',');
}

/** The view in a hash, null when the hash holds none; a malformed one throws with what was wrong. */
export function decodeViewHash(hash: string): ViewState | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(KEY);
  if (value === null) return null;
  const nums = value.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (nums.length !== 6 || !nums.every(Number.isFinite)) {
    throw new Error(`view URL: expected #cam=x,y,z,yaw,pitch,fov (six numbers), found "${value}"`);
  }
  const [x, y, z, yawDeg, pitchDeg, fovDeg] = nums;
  if (!(fovDeg > 0 && fovDeg < 180)) throw new Error(`view URL: expected a field of view between 0 and 180 degrees, found ${fovDeg}`);
  return { position: [x, y, z], yaw: yawDeg / DEG, pitch: clampPitch(pitchDeg / DEG), fovDeg };
}
