/**
 * Outdoor layouts: the ground (terrain.ts parameters and materials per setting), water, streets of
 * buildings, and where things stand. Things the prompt counted ("three trees") stand where the start
 * camera sees them; things it only named ("pine trees") or the setting brings fill the world all
 * around, so walking away from the start keeps finding them.
 */
import { type SurfaceMaterial, material } from './materials.ts';
import { type Look, type SceneBuilder, footprint, lookOf, makeObject, plainLook, sizeScale, surfaceFor } from './objects.ts';
import { Box, Cylinder, Ellipsoid } from './primitives.ts';
import type { ObjectKind, ObjectRequest, SceneSpec, Setting } from './scene-spec.ts';
import { EYE_HEIGHT, Terrain, type TerrainParams } from './terrain.ts';
import { type Placement, type Sightlines, placeAround, placeInView } from './placement.ts';

export interface OutdoorGround {
  terrain: Terrain;
  terrainMaterials: { low: number; rock: number; high: number };
  water: { level: number; material: number } | null;
}

/** What each setting brings when the prompt does not name those things itself. */
const SETTING_THINGS: Record<string, [ObjectKind, number][]> = {
  forest: [['tree', 60], ['pine', 45], ['bush', 30], ['rock', 12]],
  desert: [['cactus', 10], ['rock', 14]],
  city: [['car', 8]],
  street: [['car', 5], ['tree', 8]],
  beach: [['palm', 8], ['rock', 6]],
  snowfield: [['pine', 35], ['rock', 10]],
  mountains: [['pine', 30], ['rock', 25], ['bush', 10]],
  field: [['tree', 9], ['bush', 14], ['rock', 5]],
  lake: [['pine', 30], ['tree', 20], ['rock', 10], ['bush', 10]],
};

/** How many a plural without a number means ("pine trees"), per kind. */
function someOf(kind: ObjectKind, setting: Setting): number {
  const fromSetting = SETTING_THINGS[setting]?.find(([k]) => k === kind)?.[1];
  if (fromSetting) return fromSetting;
  if (kind === 'tree' || kind === 'pine' || kind === 'palm') return 24;
  if (kind === 'building' || kind === 'house' || kind === 'tower') return 5;
  return 7;
}

function terrainParams(setting: Setting, seed: number): TerrainParams {
  const p: TerrainParams = { seed, hills: 1.2, hillScale: 30, mountains: 0, mountainStart: 150, dunes: 0, seaSlope: 0, slopeStart: 0, basin: null };
  switch (setting) {
    case 'forest': return { ...p, hills: 1.5, hillScale: 28 };
    case 'desert': return { ...p, hills: 1.5, hillScale: 60, dunes: 2.5, mountains: 50, mountainStart: 150 };
    case 'city': case 'street': return { ...p, hills: 0 };
    case 'beach': return { ...p, hills: 0.6, hillScale: 25, seaSlope: 0.06, slopeStart: 7 };
    case 'snowfield': return { ...p, hills: 2.5, hillScale: 35, mountains: 45, mountainStart: 130 };
    case 'mountains': return { ...p, hills: 2, hillScale: 30, mountains: 110, mountainStart: 45 };
    case 'lake': return { ...p, hills: 1.2, hillScale: 30, mountains: 60, mountainStart: 110, basin: { x: 0, z: -34, radius: 30, depth: 6 } };
    default: return { ...p, hills: 2, hillScale: 35, mountains: 18, mountainStart: 150 };
  }
}

function groundMaterials(spec: SceneSpec, seed: number): [SurfaceMaterial, SurfaceMaterial, SurfaceMaterial] {
  const rock = material('rock', [0.27, 0.25, 0.23], { accent: [0.14, 0.13, 0.12], scale: 3, seed });
  const snow = material('snow', [0.82, 0.86, 0.93], { scale: 2, seed });
  let low: SurfaceMaterial;
  switch (spec.setting) {
    case 'desert': low = material('sand', [0.52, 0.32, 0.14], { accent: [0.4, 0.22, 0.09], scale: 1, seed }); break;
    case 'beach': low = material('sand', [0.78, 0.66, 0.45], { accent: [0.62, 0.5, 0.32], scale: 0.7, seed }); break;
    case 'city': case 'street': low = material('asphalt', [0.07, 0.07, 0.075], { seed }); break;
    case 'forest': low = material('dirt', [0.12, 0.16, 0.05], { accent: [0.16, 0.1, 0.05], scale: 3, seed }); break;
    default: low = material('grass', [0.12, 0.3, 0.05], { accent: [0.25, 0.35, 0.08], scale: 6, seed });
  }
  if (spec.snow) low = snow;
  if (spec.settingColour && (spec.setting === 'field' || spec.setting === 'desert' || spec.setting === 'beach')) {
    low = { ...low, base: spec.settingColour, accent: spec.settingColour.map((c) => c * 0.7) as [number, number, number] };
  }
  return [low, rock, spec.setting === 'desert' ? material('rock', [0.5, 0.25, 0.12], { accent: [0.3, 0.13, 0.06], scale: 4, seed }) : snow];
}

export function buildOutdoor(spec: SceneSpec, seed: number, b: SceneBuilder, rand: () => number, glow: number): OutdoorGround {
  const terrain = new Terrain(terrainParams(spec.setting, seed));
  const [low, rock, high] = groundMaterials(spec, seed);
  const terrainMaterials = { low: b.addMaterial(low), rock: b.addMaterial(rock), high: b.addMaterial(high) };
  let water: OutdoorGround['water'] = null;
  if (spec.setting === 'beach' || spec.setting === 'lake') {
    const m = material('water', [0.02, 0.09, 0.12], { accent: [0.03, 0.14, 0.16], reflect: 0.85, seed });
    water = { level: -EYE_HEIGHT - (spec.setting === 'beach' ? 0.45 : 0.5), material: b.addMaterial(spec.snow ? { ...m, pattern: 'snow', base: [0.7, 0.78, 0.85], reflect: 0.3 } : m) };
  }
  const placed: Placement[] = [];
  const sight: Sightlines = [];
  const ground = (x: number, z: number) => terrain.surface(x, z);
  const dry = (x: number, z: number) => !water || ground(x, z) > water.level + 0.25;

  if (spec.setting === 'city' || spec.setting === 'street') buildStreet(spec, seed, b, rand, glow, placed);

  const named = new Set(spec.objects.map((o) => o.kind));
  const requests: { kind: ObjectKind; count: number; look: Look; inView: boolean }[] = [];
  for (const o of spec.objects) requests.push(...requestPlan(o, spec.setting));
  for (const [kind, count] of SETTING_THINGS[spec.setting] ?? []) {
    // A forest of pines has no broadleaf trees unless asked for, and the other way round.
    const treeNamed = named.has('tree') || named.has('pine') || named.has('palm');
    if (named.has(kind) || (treeNamed && (kind === 'tree' || kind === 'pine' || kind === 'palm'))) continue;
    requests.push({ kind, count, look: plainLook, inView: false });
  }
  // Counted things first, so they get the best spots in view.
  requests.sort((a, b2) => Number(b2.inView) - Number(a.inView));
  for (const r of requests) {
    const radius = footprint(r.kind, r.look.size);
    for (let i = 0; i < r.count; i++) {
      const spot = r.inView
        ? placeInView(rand, placed, radius, viewRange(r.kind, r.look.size), dry, sight)
        : placeAround(rand, placed, radius, r.kind === 'building' || r.kind === 'house' ? [15, 120] : [4, 70], dry, spec.setting !== 'lake' && i < r.count / 3);
      makeObject(r.kind, { b, x: spot.x, y: ground(spot.x, spot.z), z: spot.z, yaw: spot.yaw, rand, look: r.look, seed: seed + 31 * b.objects.length, glow });
    }
  }
  return { terrain, terrainMaterials, water };
}

/** Counted things are placed in view; plurals without a number fill the world. */
function requestPlan(o: ObjectRequest, setting: Setting): { kind: ObjectKind; count: number; look: Look; inView: boolean }[] {
  if (o.count === null) {
    const n = someOf(o.kind, setting);
    const inView = Math.min(n, Math.max(2, Math.round(n / 4)));
    return [
      { kind: o.kind, count: inView, look: lookOf(o), inView: true },
      { kind: o.kind, count: n - inView, look: lookOf(o), inView: false },
    ];
  }
  return [{ kind: o.kind, count: o.count, look: lookOf(o), inView: true }];
}

/** Distance range (m) from the start eye at which counted things of a kind are placed. */
function viewRange(kind: ObjectKind, size: Look['size']): [number, number] {
  // Tall things stand further away, so that the start view sees them whole.
  const f = sizeScale(size)[1];
  switch (kind) {
    case 'tree': case 'pine': case 'palm': return [7 * Math.max(1, f), 22 * Math.max(1, f)];
    case 'tower': return [28 * f, 45 * f];
    case 'building': return [35 * f, 70 * f];
    case 'house': return [16 * f, 32 * f];
    case 'car': return [7, 18];
    default: return [4, 11];
  }
}

/** A straight street down -Z: road, pavements, buildings on both sides, street lamps. */
function buildStreet(spec: SceneSpec, seed: number, b: SceneBuilder, rand: () => number, glow: number, placed: Placement[]): void {
  const city = spec.setting === 'city';
  const road = city ? 7 : 5;
  const walk = 3;
  const pavement = b.addMaterial(material('tiles', [0.32, 0.31, 0.3], { accent: [0.28, 0.27, 0.26], scale: 1.5, seed }));
  for (const side of [-1, 1]) {
    b.add(new Box(side * (road + walk / 2), -EYE_HEIGHT + 0.07, -90, walk / 2, 0.08, 150, 0, pavement));
    placed.push({ x: side * (road + walk / 2), z: 0, r: 0 });
    let z = 45;
    while (z > -240) {
      const width = (city ? 12 : 8) + rand() * (city ? 14 : 6);
      const depth = (city ? 16 : 10) + rand() * 10;
      const height = city ? 12 + Math.pow(rand(), 2) * 85 : 6 + rand() * 7;
      const cz = z - width / 2;
      const cx = side * (road + walk + depth / 2);
      const brick = !city || rand() < 0.25 || spec.settingMaterial === 'brick';
      const tone = 0.2 + 0.35 * rand();
      const look: Look = { colour: spec.settingColour, material: null, size: 'normal', glowing: false, requested: false };
      const base = brick
        ? material('facade', [0.38 + 0.15 * rand(), 0.16 + 0.08 * rand(), 0.09], { accent: [0.85, 0.5, 0.2], scale: 1, seed: seed + Math.floor(z) })
        : material('facade', [tone, tone * 0.98, tone * 0.93], { accent: [0.85, 0.55, 0.25], scale: 1, seed: seed + Math.floor(z) });
      const m = b.addMaterial(surfaceFor(look, base, seed + Math.floor(z)));
      b.begin({ kind: 'building', x: cx, y: -EYE_HEIGHT, z: cz, radius: Math.max(width, depth) / 2, height, requested: false });
      b.add(new Box(cx, -EYE_HEIGHT + height / 2, cz, depth / 2, height / 2 + 0.01, width / 2 - 0.3, 0, m));
      placed.push({ x: cx, z: cz, r: Math.max(width, depth) / 2 });
      z -= width + (rand() < 0.15 ? 14 : 0.6);
    }
    // Street lamps every 22 m along the kerb; at dusk and night the nearest ones light the street.
    const pole = b.addMaterial(material('plain', [0.06, 0.06, 0.07], { reflect: 0.2, seed }));
    const bulb = b.addMaterial(material('lamp', [1.0, 0.78, 0.45], { emission: 0.4 + 2 * glow, seed }));
    for (let lz = 30 + side * 11; lz > -200; lz -= 22) {
      const lx = side * (road + 0.6);
      b.begin({ kind: 'lamp', x: lx, y: -EYE_HEIGHT, z: lz, radius: 0.3, height: 5, requested: false });
      b.add(new Cylinder(lx, lz, -EYE_HEIGHT, -EYE_HEIGHT + 5, 0.07, pole));
      const e = b.add(new Ellipsoid(lx, -EYE_HEIGHT + 5.1, lz, 0.25, 0.18, 0.25, bulb));
      e.castsShadow = false;
      placed.push({ x: lx, z: lz, r: 0.5 });
      if (glow > 0.5 && lz < 25 && lz > -60) b.lights.push({ x: lx, y: -EYE_HEIGHT + 4.8, z: lz, colour: [1.0, 0.75, 0.45], intensity: 4 * glow, shadows: false, reach: 30 });
    }
  }
  // The road itself is the ground; keep the counted things off the pavements' middle.
  placed.push({ x: 0, z: 2, r: 1.5 });
}
