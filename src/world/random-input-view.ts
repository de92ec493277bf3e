/**
 * Random input views for the colour stage: its tests (input-view-colours.test.ts and -bands.test.ts
 * compare two ways of computing the same colours, so they need the same kind of awkward scene) and the
 * primer band a second thread runs before its first real one (primeColourBands).
 */
import type { InputViewSplats } from './input-view-colours.ts';

/** A small linear congruential generator: the same numbers on every machine, no dependency. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * Depths on a few levels so that ties happen, over a tilt so that most neighbours differ; some translucent
 * splats (the rest `opaque`), both sigma classes, a random target picture.
 */
export function randomInputView(width: number, height: number, seed: number, opaque = 1): { splats: InputViewSplats; target: Float32Array } {
  const rnd = random(seed), n = width * height;
  const sortKey = Float32Array.from({ length: n }, (_, i) => (rnd() < 0.3 ? 3 : 2 + 0.01 * Math.floor(i / width) + 0.5 * rnd()));
  const sigmaClass = Uint8Array.from({ length: n }, () => (rnd() < 0.2 ? 1 : 0));
  const opacity = Float32Array.from({ length: n }, () => (rnd() < 0.25 ? 0.2 + 0.7 * rnd() : opaque));
  const target = Float32Array.from({ length: 3 * n }, () => rnd());
  return { splats: { width, height, sortKey, sigmaClass, sigmas: [0.65, 0.35], opacity }, target };
}
