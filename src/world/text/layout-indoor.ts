/**
 * Indoor layouts: a room around the start eye (floor EYE_HEIGHT below it, a ceiling above, walls on
 * every side, windows that glow with the time of day), lit by ceiling lamps, furnished by room type.
 * Furniture that belongs against a wall (shelves, beds, sofas) stands against one, facing the room.
 */
import { type SurfaceMaterial, material } from './materials.ts';
import { type Look, type SceneBuilder, footprint, lookOf, makeObject, plainLook, surfaceFor } from './objects.ts';
import { Box, Ellipsoid, RoomShell } from './primitives.ts';
import type { ObjectKind, Rgb, SceneSpec, Setting } from './scene-spec.ts';
import { EYE_HEIGHT } from './terrain.ts';

/** Width (x), depth (z) and height of each room type, metres. */
const ROOM_SIZE: Record<string, [number, number, number]> = {
  bedroom: [4.6, 5.5, 2.7], library: [8, 11, 4.2], kitchen: [5, 6, 2.7], office: [7, 9, 2.9],
  hall: [11, 24, 6.5], livingroom: [6, 7, 2.8], room: [5, 6.5, 2.8],
};

/** What each room type holds unless the prompt names those things: [kind, count, against a wall?, size]. */
const ROOM_THINGS: Record<string, [ObjectKind, number, boolean, Look['size']][]> = {
  bedroom: [['bed', 1, true, 'normal'], ['shelf', 1, true, 'normal'], ['lamp', 1, false, 'small'], ['plant', 1, false, 'normal']],
  library: [['shelf', 10, true, 'tall'], ['table', 2, false, 'normal'], ['chair', 4, false, 'normal'], ['lamp', 2, false, 'normal']],
  kitchen: [['box', 4, true, 'big'], ['table', 1, false, 'normal'], ['chair', 3, false, 'normal'], ['plant', 2, false, 'normal']],
  office: [['table', 4, false, 'normal'], ['chair', 4, false, 'normal'], ['shelf', 2, true, 'normal'], ['plant', 2, false, 'normal']],
  hall: [['column', 8, false, 'huge'], ['chair', 4, true, 'normal'], ['plant', 4, true, 'big']],
  livingroom: [['sofa', 1, true, 'normal'], ['table', 1, false, 'small'], ['shelf', 2, true, 'normal'], ['lamp', 1, false, 'normal'], ['plant', 2, false, 'normal']],
  room: [['table', 1, false, 'normal'], ['chair', 2, false, 'normal'], ['shelf', 1, true, 'normal'], ['lamp', 1, false, 'normal'], ['plant', 1, false, 'normal']],
};

const WALL_KINDS = new Set<ObjectKind>(['shelf', 'bed', 'sofa']);

export interface Room {
  x0: number; x1: number; z0: number; z1: number; floor: number; ceiling: number;
}

function surfaces(spec: SceneSpec, seed: number, rand: () => number): { floor: SurfaceMaterial; walls: SurfaceMaterial; ceiling: SurfaceMaterial } {
  const s = spec.setting;
  const floor = s === 'kitchen' ? material('tiles', [0.55, 0.53, 0.5], { accent: [0.12, 0.12, 0.13], scale: 1, seed })
    : s === 'hall' ? material('marble', [0.7, 0.68, 0.64], { accent: [0.3, 0.28, 0.27], seed })
    : s === 'office' ? material('carpet', [0.16, 0.17, 0.2], { seed })
    : material('planks', [0.36, 0.2, 0.09], { accent: [0.2, 0.1, 0.04], scale: 1, seed });
  const pastel: Rgb[] = [[0.7, 0.64, 0.52], [0.55, 0.62, 0.55], [0.55, 0.6, 0.68], [0.72, 0.6, 0.55], [0.68, 0.68, 0.66]];
  let walls = s === 'library' ? material('wood', [0.3, 0.16, 0.07], { accent: [0.18, 0.09, 0.04], scale: 1.2, seed })
    : s === 'hall' ? material('marble', [0.75, 0.72, 0.66], { accent: [0.5, 0.47, 0.44], seed })
    : material('plaster', pastel[Math.floor(rand() * pastel.length)], { seed });
  if (spec.settingColour || spec.settingMaterial) {
    walls = surfaceFor({ colour: spec.settingColour, material: spec.settingMaterial, size: 'normal', glowing: false, requested: true }, walls, seed);
  }
  return { floor, walls, ceiling: material('plaster', [0.6, 0.59, 0.57], { seed: seed + 1 }) };
}

/** Light coming through the windows, by time of day (emission and point-light colour). */
function daylight(spec: SceneSpec): { pane: Rgb; light: Rgb; strength: number } {
  switch (spec.time) {
    case 'night': return { pane: [0.02, 0.03, 0.07], light: [0.1, 0.12, 0.2], strength: 0 };
    case 'dusk': return { pane: [1.2, 0.55, 0.3], light: [1.0, 0.5, 0.25], strength: 5 };
    case 'dawn': return { pane: [1.1, 0.75, 0.6], light: [1.0, 0.7, 0.5], strength: 5 };
    default: return spec.weather === 'clear' ? { pane: [0.9, 1.0, 1.15], light: [0.9, 0.95, 1.0], strength: 9 } : { pane: [0.7, 0.72, 0.76], light: [0.8, 0.82, 0.86], strength: 6 };
  }
}

export function buildIndoor(spec: SceneSpec, seed: number, b: SceneBuilder, rand: () => number): Room {
  const [w, d, h] = ROOM_SIZE[spec.setting] ?? ROOM_SIZE.room;
  const room: Room = { x0: -w / 2, x1: w / 2, z1: 1.6, z0: 1.6 - d, floor: -EYE_HEIGHT, ceiling: -EYE_HEIGHT + h };
  const mats = surfaces(spec, seed, rand);
  b.begin({ kind: 'box', x: 0, y: room.floor, z: (room.z0 + room.z1) / 2, radius: 0, height: h, requested: false });
  b.objects.pop(); // the shell is not a placed thing; only its primitives matter
  b.add(new RoomShell(room.x0, room.floor, room.z0, room.x1, room.ceiling, room.z1, b.addMaterial(mats.floor), b.addMaterial(mats.walls), b.addMaterial(mats.ceiling)));

  // Ceiling lamps on a grid of about 3.5 m; warm and dim when cosy or at night.
  const night = spec.time === 'night' || spec.time === 'dusk';
  const lampColour: Rgb = spec.cosy ? [1.0, 0.62, 0.32] : night ? [1.0, 0.82, 0.6] : [1.0, 0.92, 0.82];
  const nx = Math.max(1, Math.round(w / 4)), nz = Math.max(1, Math.round(d / 4));
  const fixture = b.addMaterial(material('lamp', lampColour, { emission: 2.5, seed }));
  const perLamp = (spec.cosy ? 2.2 : 3.2) * (h / 2.8) ** 1.3 * (night ? 1.2 : 0.8);
  let k = 0;
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < nz; j++) {
      const lx = room.x0 + ((i + 0.5) * w) / nx, lz = room.z0 + ((j + 0.5) * d) / nz;
      const e = b.add(new Ellipsoid(lx, room.ceiling - 0.08, lz, 0.25, 0.08, 0.25, fixture));
      e.castsShadow = false;
      b.lights.push({ x: lx, y: room.ceiling - 0.35, z: lz, colour: lampColour, intensity: perLamp, shadows: k++ < 2, reach: 30 });
    }
  }

  // Windows on the left wall, glowing with the sky outside; at day a soft light falls in from them.
  const day = daylight(spec);
  const windowCount = spec.objects.find((o) => o.kind === 'window')?.count ?? Math.max(1, Math.round(d / 4));
  const pane = b.addMaterial(material('windowpane', day.pane, { emission: 1, seed }));
  const frame = b.addMaterial(material('wood', [0.5, 0.45, 0.4], { accent: [0.4, 0.36, 0.32], scale: 0.4, seed }));
  const winY = room.floor + Math.min(1.6, h * 0.45), winH = Math.min(1.4, h * 0.45);
  for (let i = 0; i < windowCount; i++) {
    const wz = room.z0 + ((i + 0.5) * d) / windowCount;
    b.begin({ kind: 'window', x: room.x0, y: winY - winH / 2, z: wz, radius: 0.6, height: winH, requested: spec.objects.some((o) => o.kind === 'window') });
    b.add(new Box(room.x0 + 0.02, winY, wz, 0.05, winH / 2 + 0.08, 0.68, 0, frame));
    const p = b.add(new Box(room.x0 + 0.04, winY, wz, 0.05, winH / 2, 0.6, 0, pane));
    p.castsShadow = false;
    if (day.strength > 0) b.lights.push({ x: room.x0 + 1.2, y: winY, z: wz, colour: day.light, intensity: day.strength / windowCount * 1.5, shadows: false, reach: 30 });
  }

  // A rug in the middle of most rooms.
  if (spec.setting !== 'kitchen' && spec.setting !== 'office' && spec.setting !== 'hall') {
    const rugColours: Rgb[] = [[0.4, 0.08, 0.06], [0.08, 0.15, 0.35], [0.35, 0.28, 0.12]];
    const rug = b.addMaterial(material('carpet', rugColours[Math.floor(rand() * 3)], { seed }));
    b.add(new Box(0, room.floor + 0.005, (room.z0 + room.z1) / 2 - 0.8, Math.min(1.6, w / 3), 0.005, Math.min(2.2, d / 3.5), 0, rug));
  }

  furnish(spec, seed, b, rand, room);
  return room;
}

function furnish(spec: SceneSpec, seed: number, b: SceneBuilder, rand: () => number, room: Room): void {
  const named = new Set(spec.objects.map((o) => o.kind));
  const plan: { kind: ObjectKind; count: number; wall: boolean; look: Look }[] = [];
  for (const o of spec.objects) {
    if (o.kind === 'window') continue; // windows are part of the walls
    plan.push({ kind: o.kind, count: o.count ?? (o.kind === 'shelf' ? 8 : 4), wall: WALL_KINDS.has(o.kind), look: lookOf(o) });
  }
  for (const [kind, count, wall, size] of ROOM_THINGS[spec.setting] ?? ROOM_THINGS.room) {
    if (!named.has(kind)) plan.push({ kind, count, wall, look: { ...plainLook, size } });
  }
  const taken: { x: number; z: number; r: number }[] = [{ x: 0, z: 0, r: 1.0 }];
  const free = (x: number, z: number, r: number) => taken.every((t) => Math.hypot(t.x - x, t.z - z) >= t.r + r);
  const glow = spec.time === 'night' || spec.time === 'dusk' || spec.cosy ? 1.5 : 0.6;
  for (const p of plan) {
    const r = footprint(p.kind, p.look.size);
    for (let i = 0; i < p.count; i++) {
      let x = 0, z = 0, yaw = 0;
      for (let attempt = 0; attempt < 300; attempt++) {
        const slack = attempt < 150 ? 1 : 0.6;
        if (p.wall) {
          // Right wall, far wall or left wall (between the windows). The yaw turns the object's
          // local -Z (the back of a bed, sofa or shelf) towards the wall.
          const wall = Math.floor(rand() * 3);
          const inset = p.kind === 'bed' ? 1.12 : p.kind === 'sofa' ? 0.6 : 0.25;
          if (wall === 0) { x = room.x1 - inset; z = room.z0 + r + rand() * (room.z1 - room.z0 - 2 * r - 1.5); yaw = -Math.PI / 2; }
          else if (wall === 1) { x = room.x0 + r + rand() * (room.x1 - room.x0 - 2 * r); z = room.z0 + inset; yaw = 0; }
          else { x = room.x0 + inset; z = room.z0 + r + rand() * (room.z1 - room.z0 - 2 * r - 1.5); yaw = Math.PI / 2; }
        } else if (p.kind === 'column') {
          // Two rows of columns along the hall.
          const row = i % 2 === 0 ? -1 : 1;
          x = row * (room.x1 - room.x0) * 0.3;
          z = room.z1 - 3 - Math.floor(i / 2) * ((room.z1 - room.z0 - 4) / Math.max(1, Math.ceil(p.count / 2)));
          yaw = 0;
          if (free(x, z, r * slack * 0.5)) break;
          continue;
        } else {
          x = room.x0 + r + 0.2 + rand() * (room.x1 - room.x0 - 2 * r - 0.4);
          z = room.z0 + r + 0.2 + rand() * (room.z1 - room.z0 - 2 * r - 1.4);
          yaw = rand() < 0.5 ? 0 : Math.PI / 2;
          if (p.kind === 'chair') yaw = rand() * 2 * Math.PI;
        }
        if (free(x, z, r * slack)) break;
      }
      taken.push({ x, z, r });
      const look = p.kind === 'shelf' && spec.setting === 'library' && p.look.size === 'normal' ? { ...p.look, size: 'tall' as const } : p.look;
      makeObject(p.kind, { b, x, y: room.floor, z, yaw, rand, look, seed: seed + 31 * b.objects.length, glow });
    }
  }
}
