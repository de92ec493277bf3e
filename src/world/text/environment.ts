/**
 * Light and air of a scene from its time of day and weather: where the sun (or moon) is and its
 * colour, the sky's gradient, clouds and stars, hemisphere ambient light, fog, exposure. All
 * radiances are linear; raycast.ts tone-maps and sRGB-encodes at the end.
 */
import { fbm2, hash2, mix, smoothstep } from './noise.ts';
import type { Rgb, SceneSpec } from './scene-spec.ts';

export interface Environment {
  /** unit vector towards the sun (or the moon at night) */
  sun: [number, number, number];
  sunColour: Rgb;
  zenith: Rgb;
  horizon: Rgb;
  /** hemisphere ambient: light from above and from the ground */
  ambientSky: Rgb;
  ambientGround: Rgb;
  fogColour: Rgb;
  /** extinction per metre of the fog blend (1 - exp(-density distance)) */
  fogDensity: number;
  /** 0..1 cloud cover of the sky picture */
  clouds: number;
  cloudColour: Rgb;
  stars: boolean;
  /** whether direct light casts shadows (not under an overcast sky) */
  shadows: boolean;
  /** multiplier before tone mapping */
  exposure: number;
  /** emission of lit windows and lamps (high at night, low by day) */
  glow: number;
  /** surfaces are wet: darker, with puddles reflecting the sky */
  wet: boolean;
  seed: number;
}

const scale3 = (c: Rgb, s: number): Rgb => [c[0] * s, c[1] * s, c[2] * s];
const mix3 = (a: Rgb, b: Rgb, t: number): Rgb => [mix(a[0], b[0], t), mix(a[1], b[1], t), mix(a[2], b[2], t)];

function direction(azimuthDeg: number, elevationDeg: number): [number, number, number] {
  // Azimuth 0 = straight ahead of the start camera (-Z), positive to the right (+X).
  const a = (azimuthDeg * Math.PI) / 180, e = (elevationDeg * Math.PI) / 180;
  return [Math.sin(a) * Math.cos(e), Math.sin(e), -Math.cos(a) * Math.cos(e)];
}

export function environmentFor(spec: SceneSpec, seed: number): Environment {
  let env: Environment;
  switch (spec.time) {
    case 'dawn':
      env = {
        sun: direction(35, 7), sunColour: [2.0, 1.15, 0.7], zenith: [0.22, 0.3, 0.55], horizon: [1.1, 0.72, 0.55],
        ambientSky: [0.3, 0.3, 0.42], ambientGround: [0.12, 0.09, 0.07], fogColour: [0.95, 0.72, 0.6], fogDensity: 0.004,
        clouds: 0.35, cloudColour: [1.3, 0.75, 0.65], stars: false, shadows: true, exposure: 1.15, glow: 0.6, wet: false, seed,
      };
      break;
    case 'dusk':
      env = {
        sun: direction(-30, 5), sunColour: [2.1, 0.85, 0.35], zenith: [0.12, 0.12, 0.32], horizon: [1.25, 0.52, 0.28],
        ambientSky: [0.22, 0.2, 0.34], ambientGround: [0.12, 0.07, 0.04], fogColour: [0.9, 0.5, 0.35], fogDensity: 0.005,
        clouds: 0.4, cloudColour: [1.2, 0.5, 0.35], stars: false, shadows: true, exposure: 1.2, glow: 1.2, wet: false, seed,
      };
      break;
    case 'night':
      env = {
        sun: direction(-40, 35), sunColour: [0.16, 0.2, 0.32], zenith: [0.004, 0.007, 0.02], horizon: [0.025, 0.035, 0.07],
        ambientSky: [0.035, 0.045, 0.08], ambientGround: [0.012, 0.012, 0.016], fogColour: [0.03, 0.04, 0.07], fogDensity: 0.008,
        clouds: 0.15, cloudColour: [0.05, 0.06, 0.09], stars: true, shadows: true, exposure: 2.2, glow: 2.5, wet: false, seed,
      };
      break;
    case 'noon':
      env = {
        sun: direction(150, 72), sunColour: [2.5, 2.4, 2.2], zenith: [0.18, 0.38, 0.85], horizon: [0.7, 0.82, 0.95],
        ambientSky: [0.38, 0.45, 0.6], ambientGround: [0.18, 0.16, 0.12], fogColour: [0.72, 0.82, 0.95], fogDensity: 0.003,
        clouds: 0.25, cloudColour: [1.4, 1.4, 1.45], stars: false, shadows: true, exposure: 1, glow: 0, wet: false, seed,
      };
      break;
    default:
      env = {
        sun: direction(140, 40), sunColour: [2.3, 2.15, 1.9], zenith: [0.2, 0.38, 0.8], horizon: [0.75, 0.82, 0.92],
        ambientSky: [0.36, 0.42, 0.58], ambientGround: [0.17, 0.15, 0.11], fogColour: [0.72, 0.8, 0.92], fogDensity: 0.0035,
        clouds: 0.3, cloudColour: [1.35, 1.35, 1.4], stars: false, shadows: true, exposure: 1, glow: 0.1, wet: false, seed,
      };
  }
  // Weather: grey skies, softer light, thicker air.
  const level = (env.zenith[0] + env.zenith[1] + env.zenith[2] + env.horizon[0] + env.horizon[1] + env.horizon[2]) / 6;
  if (spec.weather === 'overcast' || spec.weather === 'rain') {
    const grey: Rgb = spec.weather === 'rain' ? [0.42, 0.45, 0.5] : [0.62, 0.64, 0.68];
    const g = scale3(grey, Math.min(1.2, level * 1.6));
    env.zenith = mix3(env.zenith, scale3(g, 0.8), 0.9);
    env.horizon = mix3(env.horizon, g, 0.9);
    env.sunColour = scale3(env.sunColour, 0.12);
    env.ambientSky = mix3(env.ambientSky, scale3(g, 1.3), 0.8);
    env.shadows = false;
    env.clouds = 1;
    env.cloudColour = scale3(g, 1.05);
    env.fogColour = g;
    env.fogDensity = spec.weather === 'rain' ? 0.025 : 0.008;
    env.stars = false;
    env.exposure *= 1.25;
    env.wet = spec.weather === 'rain';
    env.glow *= 1.5;
  } else if (spec.weather === 'fog') {
    const g: Rgb = mix3(env.horizon, [0.75, 0.77, 0.8], 0.6);
    const fog = scale3(g, Math.min(1, level * 1.4 + 0.02));
    env.fogColour = fog;
    env.fogDensity = 0.03;
    env.horizon = fog;
    env.zenith = mix3(env.zenith, fog, 0.7);
    env.sunColour = scale3(env.sunColour, 0.35);
    env.ambientSky = mix3(env.ambientSky, fog, 0.5);
    env.clouds = 0;
    env.stars = false;
  } else if (spec.weather === 'clear') {
    env.clouds *= 0.5;
  }
  return env;
}

/** Radiance of the sky seen along unit direction d (also what water and glass reflect). */
export function skyColour(env: Environment, dx: number, dy: number, dz: number, out: Float64Array): void {
  const up = Math.max(dy, 0);
  const t = Math.pow(up, 0.45);
  let r = mix(env.horizon[0], env.zenith[0], t), g = mix(env.horizon[1], env.zenith[1], t), b = mix(env.horizon[2], env.zenith[2], t);
  if (dy < 0) {
    // Below the horizon (seen past the edge of the world): fade to the fog colour.
    const k = smoothstep(0, 0.2, -dy);
    r = mix(r, env.fogColour[0], k); g = mix(g, env.fogColour[1], k); b = mix(b, env.fogColour[2], k);
  }
  const [sx, sy, sz] = env.sun;
  const cosSun = dx * sx + dy * sy + dz * sz;
  // Glow around the sun, strongest near the horizon at dawn and dusk.
  const glow = Math.pow(Math.max(cosSun, 0), 12) * 0.5 + Math.pow(Math.max(cosSun, 0), 200) * 1.5;
  r += env.sunColour[0] * glow * 0.35; g += env.sunColour[1] * glow * 0.35; b += env.sunColour[2] * glow * 0.35;
  if (env.clouds > 0 && dy > 0.02) {
    // Clouds on a plane 1 km up: noise of where the ray meets it.
    const k = 1 / (dy + 0.08);
    const n = fbm2(dx * k * 1.6 + 3.1, dz * k * 1.6 - 7.3, env.seed + 501, 4);
    const cover = smoothstep(1 - env.clouds * 0.9 - 0.1, 1.1 - env.clouds * 0.6, n) * smoothstep(0.02, 0.15, dy);
    const cc = env.cloudColour;
    const lit = 0.8 + 0.3 * n;
    r = mix(r, cc[0] * lit, cover); g = mix(g, cc[1] * lit, cover); b = mix(b, cc[2] * lit, cover);
  }
  // The sun's (or moon's) disc, unless clouds hide the sky entirely.
  if (cosSun > 0.9995 && env.clouds < 1 && env.fogDensity < 0.05) {
    const s = env.stars ? 6 : 12;
    r = env.sunColour[0] * s; g = env.sunColour[1] * s; b = env.sunColour[2] * s;
  }
  if (env.stars && dy > 0.05) {
    const k = 1 / (Math.abs(dy) + 0.3);
    const h = hash2(Math.floor(dx * k * 700), Math.floor(dz * k * 700), env.seed + 77);
    if (h > 0.9975) {
      const s = 0.4 + 2.5 * (h - 0.9975) / 0.0025;
      r += 0.3 * s; g += 0.3 * s; b += 0.35 * s;
    }
  }
  out[0] = r; out[1] = g; out[2] = b;
}
