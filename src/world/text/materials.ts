/**
 * Surface materials: a base colour and a procedural pattern evaluated at the hit point in world
 * coordinates (so every camera sees the same surface), plus emission and a mirror-like share for
 * water, glass and metal. Colours are linear RGB albedos.
 */
import { fbm2, fbm3, hash2, mix, noise2, noise3, smoothstep } from './noise.ts';
import type { Rgb } from './scene-spec.ts';

export type Pattern =
  | 'plain' | 'grass' | 'sand' | 'snow' | 'rock' | 'bark' | 'leaves' | 'planks' | 'wood' | 'brick' | 'facade'
  | 'books' | 'tiles' | 'carpet' | 'water' | 'asphalt' | 'marble' | 'plaster' | 'fabric' | 'lamp' | 'windowpane'
  | 'dirt';

export interface SurfaceMaterial {
  pattern: Pattern;
  /** main colour */
  base: Rgb;
  /** second colour of the pattern (mortar, grain, lit windows...) */
  accent: Rgb;
  /** pattern size in metres (one brick, one plank, one noise feature) */
  scale: number;
  /** emitted light, as a multiple of `base` */
  emission: number;
  /** 0..1 share of the reflected sky (water, glass, metal) */
  reflect: number;
  seed: number;
}

export function material(pattern: Pattern, base: Rgb, options: Partial<Omit<SurfaceMaterial, 'pattern' | 'base'>> = {}): SurfaceMaterial {
  return {
    pattern,
    base,
    accent: options.accent ?? base,
    scale: options.scale ?? 1,
    emission: options.emission ?? 0,
    reflect: options.reflect ?? 0,
    seed: options.seed ?? 0,
  };
}

const lerp3 = (out: Float64Array, a: Rgb, b: Rgb, t: number) => {
  out[0] = mix(a[0], b[0], t); out[1] = mix(a[1], b[1], t); out[2] = mix(a[2], b[2], t);
};

/** Two coordinates along a surface (the horizontal one follows a wall), into faceU/faceV: no allocation per pixel. */
let faceU = 0, faceV = 0;
function faceCoords(px: number, py: number, pz: number, nx: number, ny: number, nz: number): void {
  if (Math.abs(ny) > 0.7) { faceU = px; faceV = pz; }
  else if (Math.abs(nx) > Math.abs(nz)) { faceU = pz; faceV = py; }
  else { faceU = px; faceV = py; }
}

const BOOK_COLOURS: Rgb[] = [[0.35, 0.05, 0.04], [0.05, 0.15, 0.3], [0.08, 0.22, 0.08], [0.45, 0.3, 0.1], [0.3, 0.22, 0.15], [0.5, 0.45, 0.35], [0.12, 0.05, 0.18]];

/**
 * Albedo at a point into out[0..2]; out[3] = extra emission (a lit window of a facade), out[4] =
 * reflect share (puddles, glass panes).
 */
export function albedoAt(m: SurfaceMaterial, px: number, py: number, pz: number, nx: number, ny: number, nz: number, out: Float64Array): void {
  const s = m.scale, seed = m.seed;
  out[3] = m.emission;
  out[4] = m.reflect;
  switch (m.pattern) {
    case 'plain': {
      const v = 0.9 + 0.2 * noise3(px * 3 / s, py * 3 / s, pz * 3 / s, seed);
      out[0] = m.base[0] * v; out[1] = m.base[1] * v; out[2] = m.base[2] * v;
      return;
    }
    case 'grass': {
      const n = fbm2(px / s, pz / s, seed, 3);
      lerp3(out, m.base, m.accent, smoothstep(0.3, 0.75, n));
      const fine = 0.8 + 0.4 * noise2(px * 9, pz * 9, seed + 7);
      // Sparse flowers: small bright dots.
      const f = hash2(Math.floor(px * 10), Math.floor(pz * 10), seed + 11);
      if (f > 0.992) { out[0] = 0.8; out[1] = f > 0.996 ? 0.7 : 0.15; out[2] = f > 0.996 ? 0.1 : 0.5; return; }
      out[0] *= fine; out[1] *= fine; out[2] *= fine;
      return;
    }
    case 'dirt': {
      const n = fbm2(px / s, pz / s, seed, 3);
      lerp3(out, m.base, m.accent, n);
      return;
    }
    case 'sand': {
      // Wind ripples across x, bent by noise.
      const ripple = 0.5 + 0.5 * Math.sin((px + 2.5 * noise2(px * 0.2, pz * 0.2, seed)) * 6 / s + pz * 0.7);
      const n = fbm2(px * 0.1, pz * 0.1, seed + 3, 3);
      lerp3(out, m.base, m.accent, 0.55 * n + 0.2 * ripple);
      return;
    }
    case 'snow': {
      const n = fbm2(px * 0.7 / s, pz * 0.7 / s, seed, 3);
      const v = 0.92 + 0.1 * n;
      out[0] = m.base[0] * v; out[1] = m.base[1] * v; out[2] = m.base[2] * v;
      return;
    }
    case 'rock': {
      const n = fbm3(px / s, py / s, pz / s, seed, 4);
      const crack = smoothstep(0.46, 0.5, n) * (1 - smoothstep(0.5, 0.54, n));
      lerp3(out, m.base, m.accent, n);
      const v = 1 - 0.45 * crack;
      out[0] *= v; out[1] *= v; out[2] *= v;
      return;
    }
    case 'bark': {
      const a = Math.atan2(pz, px);
      const n = noise2(a * 6 + px * 3, py * 1.5, seed);
      lerp3(out, m.base, m.accent, smoothstep(0.3, 0.7, n));
      return;
    }
    case 'leaves': {
      const n = fbm3(px * 2.2 / s, py * 2.2 / s, pz * 2.2 / s, seed, 3);
      lerp3(out, m.accent, m.base, smoothstep(0.25, 0.7, n));
      return;
    }
    case 'planks':
    case 'wood': {
      faceCoords(px, py, pz, nx, ny, nz);
      const u = faceU, v = faceV;
      const w = m.pattern === 'planks' ? 0.18 * s : 0.5 * s;
      const row = Math.floor(v / w);
      const offset = hash2(row, 0, seed) * 3;
      const plank = Math.floor((u + offset) / (1.2 * s));
      const tone = hash2(row, plank, seed + 1);
      const grain = 0.5 + 0.5 * Math.sin((v + 0.03 * noise2(u * 4, v * 30, seed)) * 90 / s);
      lerp3(out, m.base, m.accent, 0.35 * tone + 0.25 * grain);
      const fv = v / w - row, fu = (u + offset) / (1.2 * s) - plank;
      const seam = m.pattern === 'planks' && (fv < 0.05 || fu < 0.01) ? 0.55 : 1;
      out[0] *= seam; out[1] *= seam; out[2] *= seam;
      return;
    }
    case 'brick': {
      faceCoords(px, py, pz, nx, ny, nz);
      const u = faceU, v = faceV;
      const bw = 0.25 * s, bh = 0.085 * s;
      const row = Math.floor(v / bh);
      const uu = u / bw + (row & 1 ? 0.5 : 0);
      const col = Math.floor(uu);
      const mortar = v / bh - row < 0.12 || uu - col < 0.05;
      if (mortar) { out[0] = m.accent[0]; out[1] = m.accent[1]; out[2] = m.accent[2]; return; }
      const t = 0.75 + 0.5 * hash2(col, row, seed);
      out[0] = m.base[0] * t; out[1] = m.base[1] * t; out[2] = m.base[2] * t;
      return;
    }
    case 'facade': {
      // Floors of 3.2 m, windows every 2.4 m; roofs are plain concrete.
      if (ny > 0.7) { out[0] = 0.22; out[1] = 0.22; out[2] = 0.23; return; }
      faceCoords(px, py, pz, nx, ny, nz);
      const u = faceU, v = faceV;
      const fu = u / (2.4 * s), fv = v / (3.2 * s);
      const cu = fu - Math.floor(fu), cv = fv - Math.floor(fv);
      const window = cu > 0.2 && cu < 0.8 && cv > 0.3 && cv < 0.85;
      const wall = 0.85 + 0.3 * noise2(u * 0.7, v * 0.7, seed);
      if (!window) { out[0] = m.base[0] * wall; out[1] = m.base[1] * wall; out[2] = m.base[2] * wall; return; }
      const h = hash2(Math.floor(fu), Math.floor(fv) * 31 + Math.floor(nx * 3 + nz * 5), seed);
      out[0] = 0.03 + 0.03 * h; out[1] = 0.045 + 0.03 * h; out[2] = 0.07 + 0.04 * h;
      out[4] = 0.35;
      // Some windows are lit (they glow at dusk and at night, the scene decides how much).
      if (h > 0.62) { out[0] = m.accent[0]; out[1] = m.accent[1]; out[2] = m.accent[2]; out[3] = m.emission + 0.4; out[4] = 0; }
      else out[3] = 0;
      return;
    }
    case 'books': {
      // A bookcase: boards every 0.4 m, book spines of random colour and height between them.
      if (Math.abs(ny) > 0.7) { lerp3(out, m.base, m.accent, 0.3); return; }
      faceCoords(px, py, pz, nx, ny, nz);
      const u = faceU, v = faceV;
      const shelf = Math.floor(v / 0.4), fv = v / 0.4 - shelf;
      const faceFront = Math.abs(nx) > 0.7 ? m.seed & 1 : (m.seed >> 1) & 1;
      if (fv < 0.08 || faceFront === 0) { out[0] = m.base[0]; out[1] = m.base[1]; out[2] = m.base[2]; return; }
      const width = 0.035 + 0.02 * hash2(shelf, 7, seed);
      const book = Math.floor(u / width);
      const h = hash2(book, shelf, seed + 3);
      const top = 0.6 + 0.35 * hash2(book, shelf, seed + 5);
      if (fv > top || h < 0.06) { out[0] = 0.02; out[1] = 0.015; out[2] = 0.01; return; }
      const hue = hash2(book, shelf, seed + 9);
      const c = BOOK_COLOURS[Math.floor(hue * BOOK_COLOURS.length)];
      const shade = 0.7 + 0.5 * h;
      out[0] = c[0] * shade; out[1] = c[1] * shade; out[2] = c[2] * shade;
      return;
    }
    case 'tiles': {
      faceCoords(px, py, pz, nx, ny, nz);
      const u = faceU, v = faceV;
      const a = Math.floor(u / (0.4 * s)), b = Math.floor(v / (0.4 * s));
      const fu = u / (0.4 * s) - a, fv = v / (0.4 * s) - b;
      if (fu < 0.04 || fv < 0.04) { out[0] = 0.35; out[1] = 0.35; out[2] = 0.33; return; }
      lerp3(out, m.base, m.accent, (a + b) & 1);
      return;
    }
    case 'carpet': {
      const n = 0.85 + 0.3 * noise2(px * 20, pz * 20, seed);
      const border = Math.abs(px) % 1.0 < 0.03 ? 0.8 : 1;
      out[0] = m.base[0] * n * border; out[1] = m.base[1] * n * border; out[2] = m.base[2] * n * border;
      return;
    }
    case 'fabric': {
      const n = 0.85 + 0.25 * noise3(px * 12, py * 12, pz * 12, seed);
      out[0] = m.base[0] * n; out[1] = m.base[1] * n; out[2] = m.base[2] * n;
      return;
    }
    case 'marble': {
      const n = fbm3(px * 1.5, py * 1.5, pz * 1.5, seed, 4);
      // Thin veins where the warped sine crosses zero; the rest is the stone's own colour.
      const vein = Math.pow(1 - Math.abs(Math.sin((px + 0.6 * py + pz + 4 * n) * 2)), 12);
      lerp3(out, m.base, m.accent, 0.8 * vein);
      return;
    }
    case 'plaster': {
      const n = 0.93 + 0.1 * fbm3(px * 2, py * 2, pz * 2, seed, 2);
      out[0] = m.base[0] * n; out[1] = m.base[1] * n; out[2] = m.base[2] * n;
      return;
    }
    case 'asphalt': {
      const n = 0.85 + 0.3 * noise2(px * 6, pz * 6, seed);
      out[0] = m.base[0] * n; out[1] = m.base[1] * n; out[2] = m.base[2] * n;
      // Dashed centre line along z at x = 0.
      if (Math.abs(px) < 0.08 && ((pz % 6) + 6) % 6 < 3) { out[0] = 0.7; out[1] = 0.65; out[2] = 0.4; }
      return;
    }
    case 'water': {
      const n = noise2(px * 0.8, pz * 0.8, seed);
      lerp3(out, m.base, m.accent, n);
      return;
    }
    case 'lamp':
    case 'windowpane': {
      out[0] = m.base[0]; out[1] = m.base[1]; out[2] = m.base[2];
      return;
    }
  }
}
