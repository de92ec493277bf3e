/**
 * TEST SUPPORT. The picture the SD-Turbo-shaped fixture pipeline (fixtures/make_text_to_image_fixtures.py)
 * must produce for a prompt's token ids, recomputed from the fixture's written-down formulas in float64,
 * independently of the pipeline code: the fixture UNet cancels the noise exactly, so x0 = -sigma * (rest).
 */
const ALPHA = 1e-6, B = 0.01, C = 0.05, GAMMA = 0.02, P0 = 0.5, P1 = 0.03, P2 = -0.02, H = 0.05;
const G = [0.3, 0.2, -0.25];
const ALPHA_BAR_999 = 0.004660098513077238; // numpy, float64, from the scaled-linear betas
const SIGMA_999 = Math.sqrt((1 - ALPHA_BAR_999) / ALPHA_BAR_999);

/** 512 x 512 interleaved RGB for the ids between (and including) the begin and end tokens. */
export function expectedFixturePicture(ids: number[]): Uint8Array {
  const padded = [...ids, ...new Array(77 - ids.length).fill(0)];
  const idMean = padded.reduce((sum, id) => sum + (id % 1000), 0) / 77;
  const hiddenMean = ALPHA * idMean * 512.5; // mean of k + 1 over k = 0..1023
  const beta = (B * 999) / 1000 + C * hiddenMean;
  const latent = (c: number, y: number, x: number) => (-SIGMA_999 * (beta + GAMMA * (P0 * c + P1 * y + P2 * x))) / 0.18215;
  const out = new Uint8Array(512 * 512 * 3);
  for (let py = 0; py < 512; py++) {
    for (let px = 0; px < 512; px++) {
      const y = py >> 3, x = px >> 3;
      for (let c = 0; c < 3; c++) {
        const v = G[c] * latent(c, y, x) + H * latent(3, y, x);
        out[3 * (py * 512 + px) + c] = Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
      }
    }
  }
  return out;
}

export function comparePictures(actual: Uint8Array, expected: Uint8Array): { worst: number; clampedLow: number; clampedHigh: number } {
  if (actual.length !== expected.length) return { worst: Infinity, clampedLow: 0, clampedHigh: 0 };
  let worst = 0, clampedLow = 0, clampedHigh = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    if (expected[i] === 0) clampedLow++;
    if (expected[i] === 255) clampedHigh++;
  }
  return { worst, clampedLow, clampedHigh };
}
