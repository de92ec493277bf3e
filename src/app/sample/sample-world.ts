/**
 * A small procedural world shown when the viewer opens with nothing else to show: a ground plane,
 * a few coloured objects and a sky shell, all Gaussian splats. Stands in until the generator can
 * turn a shipped sample photo into a world. Deterministic (seeded), no DOM, ~70k splats.
 */
import { Pose } from '../../core/camera.ts';
import { seededRandom } from '../../core/random.ts';
import { SplatCloud } from '../../core/splat-cloud.ts';
import { type Vec3, cross, normalize } from '../../core/vec3.ts';

export interface SampleWorld {
  cloud: SplatCloud;
  /** Where a person would stand to look at it. */
  startPose: Pose;
}

const SUN: Vec3 = normalize([0.4, 0.8, 0.45]);

/** Quaternion (w, x, y, z) turning local +Z onto unit normal n: splats are flat along their z axis. */
function quatZTo(n: Vec3): [number, number, number, number] {
  const d = n[2];
  if (d < -0.999999) return [0, 1, 0, 0];
  const axis = cross([0, 0, 1], n);
  const w = 1 + d;
  const len = Math.hypot(w, axis[0], axis[1], axis[2]);
  return [w / len, axis[0] / len, axis[1] / len, axis[2] / len];
}

class Builder {
  private readonly items: number[] = [];
  add(p: Vec3, normal: Vec3, size: number, thickness: number, rgb: Vec3, opacity = 0.95): void {
    this.items.push(...p, size, size, thickness, ...quatZTo(normal), opacity, ...rgb);
  }
  build(): SplatCloud {
    const n = this.items.length / 14;
    const cloud = SplatCloud.create(n);
    for (let i = 0; i < n; i++) {
      const r = this.items.slice(14 * i, 14 * i + 14);
      cloud.positions.set(r.slice(0, 3), 3 * i);
      cloud.scales.set(r.slice(3, 6), 3 * i);
      cloud.rotations.set(r.slice(6, 10), 4 * i);
      cloud.opacities[i] = r[10];
      cloud.colors.set(r.slice(11, 14), 3 * i);
    }
    return cloud;
  }
}

/** Baked lighting: a soft sun plus sky fill, so the objects read as 3D without a renderer light. */
const shade = (base: Vec3, n: Vec3): Vec3 => {
  const lambert = Math.max(0, n[0] * SUN[0] + n[1] * SUN[1] + n[2] * SUN[2]);
  const k = 0.35 + 0.65 * lambert;
  return [base[0] * k, base[1] * k, base[2] * k];
};

export function makeSampleWorld(seed = 7): SampleWorld {
  const rand = seededRandom(seed);
  const jitter = (amount: number) => (rand() - 0.5) * amount;
  const b = new Builder();

  // Ground: 24 x 24 m of grass in a faint checker, with a stone path running away from the viewer.
  const step = 0.12;
  for (let x = -12; x < 12; x += step) {
    for (let z = -12; z < 12; z += step) {
      const onPath = Math.abs(x + 0.3 * Math.sin(z * 0.4)) < 0.6;
      const checker = (Math.floor(x) + Math.floor(z)) & 1 ? 1 : 0.88;
      const base: Vec3 = onPath ? [0.62, 0.58, 0.52] : [0.28 * checker, 0.55 * checker, 0.22 * checker];
      const n = 0.9 + jitter(0.2);
      b.add([x + jitter(step), 0, z + jitter(step)], [0, 1, 0], step * 0.6, 0.005, shade([base[0] * n, base[1] * n, base[2] * n], [0, 1, 0]));
    }
  }

  // A red sphere.
  const sphereCentre: Vec3 = [-1.6, 0.8, -0.5];
  for (let i = 0; i < 5000; i++) {
    const u = rand() * 2 - 1, t = rand() * 2 * Math.PI, s = Math.sqrt(1 - u * u);
    const n: Vec3 = [s * Math.cos(t), u, s * Math.sin(t)];
    b.add([sphereCentre[0] + 0.8 * n[0], sphereCentre[1] + 0.8 * n[1], sphereCentre[2] + 0.8 * n[2]], n, 0.035, 0.004, shade([0.85, 0.12, 0.1], n));
  }

  // A blue box.
  const boxCentre: Vec3 = [1.6, 0.6, -1];
  const faces: Vec3[] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
  for (const n of faces) {
    const axes: [number, number] = n[0] !== 0 ? [1, 2] : n[1] !== 0 ? [0, 2] : [0, 1]; // in the face's plane
    for (let i = 0; i < 900; i++) {
      const p: Vec3 = [boxCentre[0] + 0.6 * n[0], boxCentre[1] + 0.6 * n[1], boxCentre[2] + 0.6 * n[2]];
      p[axes[0]] += (rand() - 0.5) * 1.2;
      p[axes[1]] += (rand() - 0.5) * 1.2;
      b.add(p, n, 0.035, 0.004, shade([0.15, 0.3, 0.85], n));
    }
  }

  // A yellow cone further back.
  const coneBase: Vec3 = [0.2, 0, -4];
  const coneHeight = 2, coneRadius = 0.7;
  const slope = Math.atan2(coneRadius, coneHeight);
  for (let i = 0; i < 4000; i++) {
    const h = 1 - Math.sqrt(rand()); // uniform over the surface: more splats near the wide base
    const t = rand() * 2 * Math.PI;
    const r = coneRadius * (1 - h);
    const n: Vec3 = normalize([Math.cos(t) * Math.cos(slope), Math.sin(slope), Math.sin(t) * Math.cos(slope)]);
    b.add([coneBase[0] + r * Math.cos(t), coneBase[1] + h * coneHeight, coneBase[2] + r * Math.sin(t)], n, 0.04, 0.004, shade([0.95, 0.8, 0.15], n));
  }

  // Sky: a shell of big soft splats, blue overhead fading to haze at the horizon, grey below it.
  const radius = 60;
  for (let i = 0; i < 5000; i++) {
    const u = rand() * 2 - 1, t = rand() * 2 * Math.PI, s = Math.sqrt(1 - u * u);
    const d: Vec3 = [s * Math.cos(t), u, s * Math.sin(t)];
    const up = Math.max(0, u);
    const rgb: Vec3 = u >= 0
      ? [0.75 - 0.45 * up, 0.85 - 0.3 * up, 0.95 - 0.05 * up]
      : [0.55, 0.58, 0.6];
    b.add([d[0] * radius, d[1] * radius, d[2] * radius], [-d[0], -d[1], -d[2]], 3.5, 0.3, rgb, 1);
  }

  return { cloud: b.build(), startPose: Pose.lookAt([0, 1.6, 6], [0, 0.7, -1]) };
}
