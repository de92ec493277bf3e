/**
 * Things made of primitives: a tree is a trunk and a canopy, a shelf a box of books, a building a
 * box with a facade. Each maker adds its primitives to the builder at a spot on the ground and
 * records the placed object. Sizes are in metres; `size` words scale them.
 */
import { type SurfaceMaterial, material } from './materials.ts';
import { Box, Cone, Cylinder, Ellipsoid, type Primitive } from './primitives.ts';
import type { PlacedObject, PointLight } from './scene.ts';
import type { Material, ObjectKind, ObjectRequest, Rgb, SizeWord } from './scene-spec.ts';

export class SceneBuilder {
  readonly prims: Primitive[] = [];
  readonly materials: SurfaceMaterial[] = [];
  readonly objects: PlacedObject[] = [];
  readonly lights: PointLight[] = [];
  private current = -1;

  addMaterial(m: SurfaceMaterial): number {
    this.materials.push(m);
    return this.materials.length - 1;
  }

  /** Starts a placed object: the primitives added until the next begin() belong to it. */
  begin(o: PlacedObject): void {
    this.objects.push(o);
    this.current = this.objects.length - 1;
  }

  add<P extends Primitive>(p: P): P {
    p.object = this.current;
    this.prims.push(p);
    return p;
  }
}

/** How the prompt's words shape one object; rand is the scene's seeded generator. */
export interface Look {
  colour: Rgb | null;
  material: Material | null;
  size: SizeWord;
  glowing: boolean;
  requested: boolean;
}

export const lookOf = (r: ObjectRequest): Look => ({ colour: r.colour, material: r.material, size: r.size, glowing: r.glowing, requested: true });
export const plainLook: Look = { colour: null, material: null, size: 'normal', glowing: false, requested: false };

/** [width scale, height scale] of a size word. */
export function sizeScale(size: SizeWord): [number, number] {
  switch (size) {
    case 'tiny': return [0.4, 0.4];
    case 'small': return [0.65, 0.65];
    case 'big': return [1.5, 1.5];
    case 'huge': return [2.5, 2.5];
    case 'tall': return [1, 1.8];
    case 'short': return [1, 0.55];
    default: return [1, 1];
  }
}

/** The material of a part: the prompt's colour and material words win over the part's default. */
export function surfaceFor(look: Look, fallback: SurfaceMaterial, seed: number): SurfaceMaterial {
  const c = look.colour;
  const glow = look.glowing ? 1.6 : 0;
  let m: SurfaceMaterial;
  switch (look.material) {
    case 'wood': m = material('wood', c ?? [0.3, 0.15, 0.06], { accent: [0.16, 0.07, 0.03], scale: 0.6, seed }); break;
    case 'stone': m = material('rock', c ?? [0.36, 0.35, 0.33], { accent: [0.2, 0.2, 0.2], scale: 0.8, seed }); break;
    case 'brick': m = material('brick', c ?? [0.42, 0.12, 0.06], { accent: [0.5, 0.48, 0.44], scale: 1, seed }); break;
    case 'glass': m = material('plain', c ?? [0.12, 0.2, 0.24], { reflect: 0.75, seed }); break;
    case 'metal': m = material('plain', c ?? [0.45, 0.46, 0.48], { reflect: 0.45, seed }); break;
    case 'marble': m = material('marble', c ?? [0.8, 0.78, 0.75], { accent: [0.35, 0.35, 0.38], seed }); break;
    case 'concrete': m = material('plain', c ?? [0.35, 0.35, 0.34], { seed }); break;
    case 'gold': m = material('plain', c ?? [0.8, 0.55, 0.12], { reflect: 0.35, seed }); break;
    default:
      m = { ...fallback, base: c ?? fallback.base, accent: c ? darker(c) : fallback.accent, seed: fallback.seed || seed };
  }
  if (glow > 0) m = { ...m, emission: glow };
  return m;
}

const darker = (c: Rgb): Rgb => [c[0] * 0.55, c[1] * 0.55, c[2] * 0.55];

/** Everything an object maker needs. */
export interface Spot {
  b: SceneBuilder;
  x: number;
  /** ground height under (x, z) */
  y: number;
  z: number;
  /** facing angle about +Y (radians) */
  yaw: number;
  rand: () => number;
  look: Look;
  seed: number;
  /** time of day brightens lamps at night */
  glow: number;
}

/** Footprint radius (m) of a kind at normal size, for spacing when placing. */
export function footprint(kind: ObjectKind, size: SizeWord): number {
  const [w] = sizeScale(size);
  const base: Record<ObjectKind, number> = {
    tree: 2.2, pine: 1.8, palm: 2, bush: 0.9, rock: 1, box: 0.6, sphere: 0.6, column: 0.5, cone: 0.7, tower: 3,
    building: 9, house: 5, shelf: 0.9, table: 1, chair: 0.45, bed: 1.3, lamp: 0.35, sofa: 1.2, car: 2.4, cactus: 0.6,
    window: 0.8, plant: 0.35,
  };
  return base[kind] * w;
}

export function makeObject(kind: ObjectKind, s: Spot): void {
  const [w, h] = sizeScale(s.look.size);
  const { b, x, y, z, rand, look, seed } = s;
  const mat = (fallback: SurfaceMaterial, k = 0) => b.addMaterial(surfaceFor(look, fallback, seed + k));
  const fixed = (m: SurfaceMaterial) => b.addMaterial(m);
  const record = (radius: number, height: number) => b.begin({ kind, x, y, z, radius, height, requested: look.requested });
  const jitter = (v: number, amount: number) => v * (1 - amount + 2 * amount * rand());
  switch (kind) {
    case 'tree': {
      const height = jitter(5.5, 0.25) * h, crown = jitter(2.1, 0.2) * w;
      record(crown, height);
      const bark = fixed(material('bark', [0.2, 0.12, 0.07], { accent: [0.1, 0.06, 0.04], seed }));
      b.add(new Cylinder(x, z, y - 0.2, y + height * 0.55, 0.18 * w, bark));
      const green: Rgb = [0.06 + 0.08 * rand(), 0.2 + 0.12 * rand(), 0.03 + 0.04 * rand()];
      const leaves = mat(material('leaves', green, { accent: [green[0] * 0.45, green[1] * 0.5, green[2] * 0.4], scale: 1, seed }));
      b.add(new Ellipsoid(x, y + height * 0.62, z, crown, height * 0.33, crown, leaves));
      b.add(new Ellipsoid(x + 0.5 * crown * (rand() - 0.5), y + height * 0.85, z + 0.5 * crown * (rand() - 0.5), crown * 0.7, height * 0.22, crown * 0.7, leaves));
      return;
    }
    case 'pine': {
      const height = jitter(8, 0.3) * h, r = jitter(1.9, 0.2) * w;
      record(r, height);
      const bark = fixed(material('bark', [0.18, 0.1, 0.06], { accent: [0.08, 0.05, 0.03], seed }));
      b.add(new Cylinder(x, z, y - 0.2, y + height * 0.3, 0.16 * w, bark));
      const green: Rgb = [0.02 + 0.03 * rand(), 0.12 + 0.08 * rand(), 0.05 + 0.04 * rand()];
      const needles = mat(material('leaves', green, { accent: [green[0] * 0.5, green[1] * 0.55, green[2] * 0.5], scale: 0.7, seed }));
      // Three stacked cones, each narrower: the silhouette of a fir.
      for (let k = 0; k < 3; k++) {
        const y0 = y + height * (0.18 + 0.24 * k), y1 = y0 + height * (0.5 - 0.08 * k);
        b.add(new Cone(x, z, y0, Math.min(y1, y + height), r * (1 - 0.25 * k), needles));
      }
      return;
    }
    case 'palm': {
      const height = jitter(7, 0.2) * h;
      record(2.5 * w, height);
      const bark = fixed(material('bark', [0.35, 0.25, 0.15], { accent: [0.2, 0.14, 0.08], seed }));
      b.add(new Cylinder(x, z, y - 0.2, y + height, 0.17 * w, bark));
      const leaves = mat(material('leaves', [0.1, 0.3, 0.05], { accent: [0.05, 0.15, 0.03], seed }));
      // Fronds: long narrow leaves along the four axes, shorter ones drooping lower between them.
      for (const [ux, uz, drop] of [[1, 0, 0.15], [-1, 0, 0.15], [0, 1, 0.15], [0, -1, 0.15], [0.7, 0.7, 0.5], [-0.7, 0.7, 0.5], [0.7, -0.7, 0.5], [-0.7, -0.7, 0.5]]) {
        const diagonal = ux !== 0 && uz !== 0;
        const rx = diagonal ? 0.8 : ux !== 0 ? 1.9 : 0.4, rz = diagonal ? 0.8 : uz !== 0 ? 1.9 : 0.4;
        const reach = diagonal ? 1.3 : 1.9;
        b.add(new Ellipsoid(x + ux * reach * w, y + height - drop, z + uz * reach * w, rx * w, 0.12 * w, rz * w, leaves));
      }
      b.add(new Ellipsoid(x, y + height, z, 0.45 * w, 0.3 * w, 0.45 * w, leaves));
      return;
    }
    case 'bush': {
      const r = jitter(0.9, 0.3) * w;
      record(r, r * 1.2);
      const green: Rgb = [0.05 + 0.05 * rand(), 0.18 + 0.1 * rand(), 0.03];
      b.add(new Ellipsoid(x, y + r * 0.4, z, r, r * 0.8 * h, r, mat(material('leaves', green, { accent: [0.02, 0.08, 0.02], scale: 0.5, seed }))));
      return;
    }
    case 'rock': {
      const r = jitter(0.9, 0.4) * w;
      record(r, r * 0.8 * h);
      const grey = 0.25 + 0.12 * rand();
      b.add(new Ellipsoid(x, y + r * 0.15, z, r, r * 0.65 * h, r * (0.7 + 0.5 * rand()), mat(material('rock', [grey, grey * 0.96, grey * 0.9], { accent: [grey * 0.5, grey * 0.5, grey * 0.48], scale: 0.6, seed }))));
      return;
    }
    case 'box': {
      const e = 0.5 * w;
      record(e * 1.2, 2 * e * h);
      const m = mat(material('wood', [0.45, 0.28, 0.12], { accent: [0.25, 0.14, 0.05], scale: 0.5, seed }));
      b.add(new Box(x, y + e * h, z, e, e * h, e, s.yaw, m));
      return;
    }
    case 'sphere': {
      const r = 0.5 * w;
      record(r, 2 * r);
      b.add(new Ellipsoid(x, y + r, z, r, r, r, mat(material('plain', [0.5, 0.5, 0.52], { seed }))));
      return;
    }
    case 'column': {
      const height = 3.5 * h;
      record(0.45 * w, height);
      const m = mat(material('marble', [0.78, 0.76, 0.72], { accent: [0.4, 0.4, 0.42], seed }));
      b.add(new Cylinder(x, z, y - 0.1, y + height, 0.3 * w, m));
      b.add(new Box(x, y + height, z, 0.42 * w, 0.12, 0.42 * w, 0, m));
      b.add(new Box(x, y + 0.1, z, 0.42 * w, 0.12, 0.42 * w, 0, m));
      return;
    }
    case 'cone': {
      record(0.6 * w, 1.4 * h);
      b.add(new Cone(x, z, y, y + 1.4 * h, 0.6 * w, mat(material('plain', [0.7, 0.3, 0.05], { seed }))));
      return;
    }
    case 'tower': {
      const height = jitter(16, 0.2) * h, r = 2.5 * w;
      record(r, height + 4);
      const wall = mat(material('rock', [0.42, 0.4, 0.36], { accent: [0.25, 0.24, 0.22], scale: 1.2, seed }));
      b.add(new Cylinder(x, z, y - 0.5, y + height, r, wall));
      b.add(new Cylinder(x, z, y + height, y + height + 0.8, r * 1.15, wall));
      b.add(new Cone(x, z, y + height + 0.8, y + height + 0.8 + r * 1.8, r * 1.25, fixed(material('plain', [0.3, 0.08, 0.06], { seed }))));
      return;
    }
    case 'building': {
      const width = jitter(14, 0.3) * w, depth = jitter(14, 0.3) * w, height = jitter(30, 0.5) * h;
      record(Math.max(width, depth) / 2, height);
      const tone = 0.25 + 0.3 * rand();
      const m = mat(material('facade', [tone, tone * 0.97, tone * 0.92], { accent: [1.0, 0.75, 0.4], scale: 1, seed }));
      b.add(new Box(x, y + height / 2 - 0.5, z, width / 2, height / 2 + 0.5, depth / 2, s.yaw, m));
      return;
    }
    case 'house': {
      const width = jitter(7, 0.2) * w, depth = jitter(6, 0.2) * w, height = jitter(3.5, 0.2) * h;
      record(Math.max(width, depth) / 2, height + 3);
      const walls = mat(material('plaster', [0.7, 0.62, 0.5], { seed }));
      b.add(new Box(x, y + height / 2 - 0.3, z, width / 2, height / 2 + 0.3, depth / 2, s.yaw, walls));
      // A hipped roof: a flattened four-sided cone reads as one at any distance.
      const roof = fixed(material('plain', [0.35, 0.1, 0.06], { seed }));
      b.add(new Cone(x, z, y + height, y + height + 2.6 * h, Math.hypot(width, depth) / 2 * 1.05, roof));
      const door = fixed(material('wood', [0.25, 0.13, 0.05], { accent: [0.12, 0.06, 0.02], seed }));
      const c = Math.cos(s.yaw), sn = Math.sin(s.yaw);
      // The door on the face turned towards +Z of the house's frame.
      b.add(new Box(x + sn * depth / 2, y + 1, z + c * depth / 2, 0.5, 1, 0.05, s.yaw, door));
      return;
    }
    case 'shelf': {
      const width = 1.8 * w, height = 2.2 * h, depth = 0.4;
      record(width / 2, height);
      const books = mat(material('books', [0.28, 0.15, 0.07], { accent: [0.15, 0.07, 0.03], seed: seed * 4 + (Math.abs(Math.sin(s.yaw)) > 0.7 ? 1 : 2) }));
      b.add(new Box(x, y + height / 2, z, width / 2, height / 2, depth / 2, s.yaw, books));
      return;
    }
    case 'table': {
      const width = 1.6 * w, depth = 0.9 * w, height = 0.76 * h;
      record(width / 2, height);
      const wood = mat(material('wood', [0.35, 0.18, 0.08], { accent: [0.18, 0.08, 0.03], scale: 0.5, seed }));
      b.add(new Box(x, y + height - 0.03, z, width / 2, 0.03, depth / 2, s.yaw, wood));
      const c = Math.cos(s.yaw), sn = Math.sin(s.yaw);
      for (const [lx, lz] of [[-1, -1], [1, -1], [-1, 1], [1, 1]]) {
        const ux = lx * (width / 2 - 0.06), uz = lz * (depth / 2 - 0.06);
        b.add(new Box(x + c * ux + sn * uz, y + (height - 0.06) / 2, z - sn * ux + c * uz, 0.03, (height - 0.06) / 2, 0.03, s.yaw, wood));
      }
      return;
    }
    case 'chair': {
      const height = 0.45 * h;
      record(0.35 * w, 0.95 * h);
      const wood = mat(material('wood', [0.3, 0.16, 0.07], { accent: [0.15, 0.07, 0.03], scale: 0.4, seed }));
      b.add(new Box(x, y + height, z, 0.22 * w, 0.03, 0.22 * w, s.yaw, wood));
      b.add(new Box(x, y + height / 2, z, 0.18 * w, height / 2, 0.18 * w, s.yaw, wood));
      const c = Math.cos(s.yaw), sn = Math.sin(s.yaw);
      b.add(new Box(x - sn * 0.2 * w, y + height + 0.25 * h, z - c * 0.2 * w, 0.22 * w, 0.25 * h, 0.025, s.yaw, wood));
      return;
    }
    case 'bed': {
      record(1.3 * w, 0.6);
      const frame = fixed(material('wood', [0.3, 0.16, 0.07], { accent: [0.15, 0.07, 0.03], scale: 0.5, seed }));
      const sheet = mat(material('fabric', [0.55, 0.58, 0.65], { seed }));
      const c = Math.cos(s.yaw), sn = Math.sin(s.yaw);
      b.add(new Box(x, y + 0.2, z, 0.85 * w, 0.2, 1.05 * w, s.yaw, frame));
      b.add(new Box(x, y + 0.5, z, 0.8 * w, 0.12, 1.0 * w, s.yaw, sheet));
      b.add(new Box(x - sn * 0.95 * w, y + 0.6, z - c * 0.95 * w, 0.85 * w, 0.6, 0.06, s.yaw, frame));
      b.add(new Ellipsoid(x - sn * 0.7 * w, y + 0.68, z - c * 0.7 * w, 0.32 * w, 0.09, 0.2, fixed(material('fabric', [0.8, 0.8, 0.78], { seed }))));
      return;
    }
    case 'lamp': {
      const height = 1.5 * h;
      record(0.3, height);
      const pole = fixed(material('plain', [0.08, 0.08, 0.08], { reflect: 0.2, seed }));
      b.add(new Cylinder(x, z, y, y + height, 0.03, pole));
      b.add(new Cylinder(x, z, y, y + 0.03, 0.18, pole));
      const shade = b.add(new Cone(x, z, y + height - 0.1, y + height + 0.25, 0.25, mat(material('lamp', [1.0, 0.8, 0.5], { emission: 1.2 * s.glow + 0.5, seed }))));
      shade.castsShadow = false;
      b.lights.push({ x, y: y + height, z, colour: look.colour ? [look.colour[0] * 2, look.colour[1] * 2, look.colour[2] * 2] : [1.0, 0.75, 0.45], intensity: 1.2 * s.glow, shadows: true, reach: 12 });
      return;
    }
    case 'sofa': {
      record(1.2 * w, 0.85);
      const cloth = mat(material('fabric', [0.25, 0.3, 0.4], { seed }));
      const c = Math.cos(s.yaw), sn = Math.sin(s.yaw);
      b.add(new Box(x, y + 0.22, z, 1.0 * w, 0.22, 0.45, s.yaw, cloth));
      b.add(new Box(x - sn * 0.4, y + 0.55, z - c * 0.4, 1.0 * w, 0.35, 0.12, s.yaw, cloth));
      b.add(new Box(x + c * 0.95 * w, y + 0.35, z - sn * 0.95 * w, 0.1, 0.35, 0.45, s.yaw, cloth));
      b.add(new Box(x - c * 0.95 * w, y + 0.35, z + sn * 0.95 * w, 0.1, 0.35, 0.45, s.yaw, cloth));
      return;
    }
    case 'car': {
      record(2.3, 1.5);
      const palette: Rgb[] = [[0.5, 0.03, 0.03], [0.03, 0.08, 0.35], [0.6, 0.6, 0.6], [0.03, 0.03, 0.03], [0.7, 0.55, 0.1]];
      const paint = mat(material('plain', palette[Math.floor(rand() * palette.length)], { reflect: 0.3, seed }));
      const glass = fixed(material('plain', [0.03, 0.04, 0.05], { reflect: 0.6, seed }));
      b.add(new Box(x, y + 0.55, z, 0.9 * w, 0.35, 2.2 * w, s.yaw, paint));
      b.add(new Box(x, y + 1.1, z, 0.8 * w, 0.28, 1.2 * w, s.yaw, glass));
      return;
    }
    case 'cactus': {
      const height = jitter(2.5, 0.3) * h;
      record(0.6, height);
      const m = mat(material('leaves', [0.08, 0.25, 0.08], { accent: [0.05, 0.15, 0.05], scale: 0.3, seed }));
      b.add(new Cylinder(x, z, y - 0.1, y + height, 0.22 * w, m));
      b.add(new Ellipsoid(x, y + height, z, 0.22 * w, 0.22 * w, 0.22 * w, m));
      const side = rand() < 0.5 ? 1 : -1;
      b.add(new Cylinder(x + side * 0.45 * w, z, y + height * 0.45, y + height * 0.8, 0.15 * w, m));
      b.add(new Box(x + side * 0.25 * w, y + height * 0.45, z, 0.22 * w, 0.12 * w, 0.12 * w, 0, m));
      return;
    }
    case 'plant': {
      record(0.35, 0.9 * h);
      const pot = fixed(material('plain', [0.45, 0.2, 0.1], { seed }));
      b.add(new Cylinder(x, z, y, y + 0.35, 0.2 * w, pot));
      b.add(new Ellipsoid(x, y + 0.65 * h, z, 0.35 * w, 0.35 * h, 0.35 * w, mat(material('leaves', [0.08, 0.3, 0.06], { accent: [0.03, 0.12, 0.02], scale: 0.3, seed }))));
      return;
    }
    case 'window': {
      // Free-standing windows make no sense outdoors: a glowing pane on a post, like a sign.
      record(0.6, 2);
      const pane = b.add(new Box(x, y + 1.5, z, 0.6, 0.5, 0.05, s.yaw, fixed(material('windowpane', [0.7, 0.8, 0.95], { emission: 1, seed }))));
      pane.castsShadow = false;
      return;
    }
  }
}
