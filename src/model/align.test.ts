import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { fitInverseDepth, relativeInverseToMetric } from './align.ts';

/**
 * The analytic case: a true depth D per pixel; the "relative" model sees r = alpha / D + beta (+ noise);
 * the reference model sees D, except on outlier pixels where it is wildly wrong. The fit must find
 * scale = 1 / alpha and shift = -beta / alpha, and give back D.
 */
function scene(count: number, seed: number, outlierShare: number) {
  const rand = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const [alpha, beta] = [37, -0.4];
  const truth = new Float32Array(count);
  const relative = new Float32Array(count);
  const reference = new Float32Array(count);
  const outlier = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    truth[i] = 1 + 19 * rand(); // 1..20 m
    relative[i] = alpha / truth[i] + beta + 0.01 * gauss();
    outlier[i] = rand() < outlierShare ? 1 : 0;
    reference[i] = outlier[i] ? 0.3 + 60 * rand() : truth[i];
  }
  return { alpha, beta, truth, relative, reference, outlier };
}

test('trimmed fit recovers scale and shift despite 15% wild reference pixels; plain least squares does not', () => {
  const s = scene(20000, 3, 0.15);
  const fit = fitInverseDepth(s.relative, s.reference);
  assert.ok(Math.abs(fit.scale * s.alpha - 1) < 0.01, `scale ${fit.scale} vs ${1 / s.alpha}`);
  assert.ok(Math.abs(fit.shift - -s.beta / s.alpha) < 0.002, `shift ${fit.shift} vs ${-s.beta / s.alpha}`);
  assert.equal(fit.samples, 20000);

  const plain = fitInverseDepth(s.relative, s.reference, undefined, { keepFraction: 1 });
  assert.ok(Math.abs(plain.scale * s.alpha - 1) > 0.05, `plain least squares should be pulled away, got scale x alpha = ${plain.scale * s.alpha}`);
});

test('metric depth matches the conversion with the true scale and shift to 0.3%, on every pixel', () => {
  const s = scene(20000, 4, 0.15);
  const { depth } = relativeInverseToMetric(s.relative, s.reference);
  // What a perfect fit would give from the same noisy r: the error left is the fit's own.
  let worst = 0;
  for (let i = 0; i < depth.length; i++) worst = Math.max(worst, Math.abs(depth[i] / (s.alpha / (s.relative[i] - s.beta)) - 1));
  assert.ok(worst < 0.003, `worst relative depth error against the ideal conversion ${worst}`);
});

test('the mask keeps a region with a wrong reference out of the fit', () => {
  // Half the picture has a reference that is consistently wrong (twice too far): without the mask the
  // trimmed fit cannot tell which half is right; with it, the fit uses only the good half.
  const s = scene(10000, 5, 0);
  const reference = Float32Array.from(s.truth, (d, i) => (i < 5000 ? d : 2 * d));
  const mask = Uint8Array.from({ length: 10000 }, (_, i) => (i < 5000 ? 1 : 0));
  const fit = fitInverseDepth(s.relative, reference, mask);
  assert.ok(Math.abs(fit.scale * s.alpha - 1) < 0.01, `scale x alpha = ${fit.scale * s.alpha}`);
  assert.equal(fit.samples, 5000);
});

test('inverse depth at or past zero becomes maxDepth (Infinity unless given)', () => {
  const s = scene(1000, 6, 0);
  const relative = Float32Array.from(s.relative);
  relative[0] = -100; // far beyond the sky
  assert.equal(relativeInverseToMetric(relative, s.truth).depth[0], Infinity);
  assert.equal(relativeInverseToMetric(relative, s.truth, undefined, { maxDepth: 500 }).depth[0], 500);
});

test('bad input is named: sizes, too few valid pixels, a flat or reversed relation', () => {
  const s = scene(100, 7, 0);
  assert.throws(() => fitInverseDepth(s.relative, s.truth.subarray(0, 99)), /align: expected the relative and reference maps to have the same size, found 100 and 99 values/);
  assert.throws(() => fitInverseDepth(s.relative, new Float32Array(100)), /align: expected at least 16 pixels with a valid reference depth, found 0/);
  assert.throws(() => fitInverseDepth(new Float32Array(100).fill(2), s.truth), /align: expected the relative inverse depth to vary/);
  assert.throws(() => fitInverseDepth(Float32Array.from(s.truth), s.truth), /align: expected relative inverse depth to grow as the reference depth shrinks \(a positive scale\), found scale -/);
});
