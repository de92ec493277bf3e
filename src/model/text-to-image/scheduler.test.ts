/**
 * The one-step schedule against figures from outside this code: sigma(999) = 14.6146 is the constant the
 * onnxruntime-web SD-Turbo demos hard-code, and alpha-bar(999) = 0.0046600985 was computed with numpy
 * (float64) from SD-Turbo's scheduler_config.json. The noise is checked statistically.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialLatent, modelInput, oneStepSchedule, predictOriginal, seededNormal } from './scheduler.ts';
import type { SchedulerSpec } from './spec.ts';

const SD_TURBO: SchedulerSpec = {
  betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, trainSteps: 1000,
  timestepSpacing: 'trailing', prediction: 'epsilon', timestep: 999,
};

test('alpha-bar and sigma at t = 999 of the scaled-linear schedule', () => {
  const s = oneStepSchedule(SD_TURBO);
  assert.ok(Math.abs(s.alphaBar - 0.004660098513077238) < 1e-12, `alphaBar ${s.alphaBar}`);
  assert.ok(Math.abs(s.sigma - 14.6146) < 1e-4, `sigma ${s.sigma}`);
  // 'trailing' spacing: the starting noise has standard deviation sigma, not sqrt(sigma^2 + 1) = 14.6488.
  assert.equal(s.initSigma, s.sigma);
  // At t = 0 only the first beta counts.
  const t0 = oneStepSchedule({ ...SD_TURBO, timestep: 0 });
  assert.ok(Math.abs(t0.alphaBar - (1 - 0.00085)) < 1e-15);
});

test('seeded normal noise: reproducible, seed-dependent, mean 0 and variance 1', () => {
  const a = seededNormal(7, 65536);
  assert.deepEqual(a, seededNormal(7, 65536));
  assert.notDeepEqual(a.subarray(0, 16), seededNormal(8, 16));
  let sum = 0, sq = 0, beyond3 = 0;
  for (const v of a) {
    sum += v;
    sq += v * v;
    if (Math.abs(v) > 3) beyond3++;
  }
  const mean = sum / a.length;
  const variance = sq / a.length - mean * mean;
  // Standard errors at n = 65536: mean 0.004, variance 0.0055; 0.27% of a normal lies beyond 3 sigma.
  assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.03, `variance ${variance}`);
  assert.ok(beyond3 / a.length > 0.0015 && beyond3 / a.length < 0.004, `tail ${beyond3 / a.length}`);
  assert.throws(() => seededNormal(-1, 4), /^Error: seed: expected an integer from 0 to 4294967295, found -1$/);
});

test('the starting latent has standard deviation sigma; the model input has unit variance', () => {
  const s = oneStepSchedule(SD_TURBO);
  const latent = initialLatent(3, 16384, s);
  const x = modelInput(latent, s);
  const std = (v: Float64Array) => Math.sqrt(v.reduce((acc, y) => acc + y * y, 0) / v.length);
  assert.ok(Math.abs(std(latent) / 14.6146 - 1) < 0.03, `latent std ${std(latent)}`);
  assert.ok(Math.abs(std(x) - Math.sqrt((14.6146 ** 2) / (14.6146 ** 2 + 1))) < 0.03, `input std ${std(x)}`);
});

test('x0 = (x - sqrt(1 - abar) eps) / sqrt(abar): a perfect noise prediction gives back the clean latent', () => {
  const s = oneStepSchedule(SD_TURBO);
  const clean = Float64Array.from({ length: 64 }, (_, i) => Math.sin(i));
  const noise = seededNormal(11, 64);
  // Forward process: x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, which is what the model input is.
  const x = clean.map((c, i) => Math.sqrt(s.alphaBar) * c + Math.sqrt(1 - s.alphaBar) * noise[i]);
  const x0 = predictOriginal(x, noise, s);
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(x0[i] - clean[i]) < 1e-9);
  // The same step in the Euler form the reference scheduler writes: x0 = latent - sigma * eps.
  const latent = x.map((v) => v * Math.sqrt(s.sigma ** 2 + 1));
  for (let i = 0; i < 64; i++) assert.ok(Math.abs(latent[i] - s.sigma * noise[i] - x0[i]) < 1e-9);
});
