/**
 * The band render against the whole picture of renderSplats: every band of rows must be exactly those
 * rows of it (Float32 bit for bit), and two bands cut anywhere must join to it, so a row dropped or
 * counted twice at a cut, or a splat lost or wrongly kept at a band's edge, shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Intrinsics, Pose, intrinsicsFromFov } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { firstDifference, randomCloud } from './band-test-clouds.ts';
import { joinBands, splitRow } from './band-render.ts';
import type { CompositeResult } from './composite.ts';
import { type RenderOptions, renderRows, renderSplats } from './rasterizer.ts';

function assertSame(got: CompositeResult, want: CompositeResult, what: string) {
  for (const key of ['color', 'alpha', 'depth'] as const) {
    const i = firstDifference(got[key], want[key]);
    assert.equal(i, -1, `${what}: ${key}[${i}] ${got[key][i]} vs the whole picture's ${want[key][i]} (lengths ${got[key].length}, ${want[key].length})`);
  }
}

/** Rows [a, b) of a whole picture. */
function rowsOf(whole: CompositeResult, width: number, a: number, b: number): CompositeResult {
  return {
    color: whole.color.slice(3 * width * a, 3 * width * b),
    alpha: whole.alpha.slice(width * a, width * b),
    depth: whole.depth.slice(width * a, width * b),
  };
}

const cases: { name: string; cloud: SplatCloud; pose: Pose; k: Intrinsics; options: RenderOptions }[] = [
  { name: '1501 splats, 37x23', cloud: randomCloud(1, 1501), pose: Pose.identity(), k: intrinsicsFromFov(37, 23, 60), options: {} },
  {
    name: '999 splats with SH 1, turned camera, 40x31, background',
    cloud: randomCloud(2, 999, 1),
    pose: Pose.lookAt([0.3, -0.2, 0.5], [0.5, 0.4, -3]),
    k: intrinsicsFromFov(40, 31, 55),
    options: { background: [0.2, 0.4, 0.6] },
  },
  { name: '2000 splats, 64x48, off-centre principal point', cloud: randomCloud(3, 2000), pose: Pose.identity(), k: { width: 64, height: 48, fx: 50, fy: 47, cx: 30.3, cy: 20.7 }, options: {} },
];

test('two bands cut at any row join to renderSplats\' picture bit for bit', () => {
  for (const { name, cloud, pose, k, options } of cases) {
    const whole = renderSplats(cloud, pose, k, options);
    assert.ok(whole.alpha.filter((a) => a > 0.9998).length > 20 && whole.alpha.filter((a) => a === 0).length < whole.alpha.length / 2, `${name}: a picture with finished and open pixels`);
    for (let cut = 1; cut < k.height; cut++) {
      const top = renderRows(cloud, pose, k, [0, cut], options), bottom = renderRows(cloud, pose, k, [cut, k.height], options);
      assertSame(joinBands(k.width, k.height, [top, bottom]), whole, `${name}, cut at row ${cut}`);
    }
  }
});

test('any band of rows is exactly those rows of the whole picture (first and last rows, 1-row bands)', () => {
  for (const { name, cloud, pose, k, options } of cases) {
    const whole = renderSplats(cloud, pose, k, options);
    const h = k.height;
    for (const [a, b] of [[0, 1], [h - 1, h], [1, h - 1], [5, 6], [7, 16], [16, 17], [3, h]]) {
      assertSame(renderRows(cloud, pose, k, [a, b], options), rowsOf(whole, k.width, a, b), `${name}, rows ${a}-${b - 1}`);
    }
  }
});

test('a view whose splats all lie in its top rows: the cut follows them, and an empty band is the background', () => {
  const cloud = randomCloud(4, 1800, 0, [0.45, 0.95]);
  const k = intrinsicsFromFov(48, 40, 60), pose = Pose.identity(), options: RenderOptions = { background: [0.1, 0.2, 0.3] };
  const whole = renderSplats(cloud, pose, k, options);
  let lastLit = k.height - 1;
  while (lastLit > 0 && whole.alpha.subarray(lastLit * k.width, (lastLit + 1) * k.width).every((a) => a === 0)) lastLit--;
  assert.ok(lastLit < 0.75 * k.height, `the splats reach row ${lastLit} of ${k.height}`);
  const cut = splitRow(cloud, pose, k, 0.5);
  assert.ok(cut >= 1 && cut <= lastLit, `cut at ${cut}, splats down to row ${lastLit}`);
  const empty = renderRows(cloud, pose, k, [lastLit + 1, k.height], options);
  assert.ok(empty.alpha.every((a) => a === 0) && empty.color.every((c, i) => c === Math.fround(options.background![i % 3])));
  for (const c of [cut, lastLit + 1, k.height - 1]) {
    assertSame(joinBands(k.width, k.height, [renderRows(cloud, pose, k, [0, c], options), renderRows(cloud, pose, k, [c, k.height], options)]), whole, `cut at ${c}`);
  }
});

test('a 1-row picture is one band (splitRow does not cut it); a 2-row one cuts between its rows', () => {
  const cloud = randomCloud(5, 700);
  const one = intrinsicsFromFov(29, 1, 20);
  assert.equal(splitRow(cloud, Pose.identity(), one, 0.5), 1);
  const whole = renderSplats(cloud, Pose.identity(), one);
  assert.ok(whole.alpha.some((a) => a > 0));
  assertSame(renderRows(cloud, Pose.identity(), one, [0, 1]), whole, '1 row');
  const two = intrinsicsFromFov(29, 2, 20);
  assert.equal(splitRow(cloud, Pose.identity(), two, 0.5), 1);
  assertSame(joinBands(29, 2, [renderRows(cloud, Pose.identity(), two, [0, 1]), renderRows(cloud, Pose.identity(), two, [1, 2])]), renderSplats(cloud, Pose.identity(), two), '2 rows');
});

test('splitRow: a cloud spread evenly is cut near the middle, one in the bottom quarter within it', () => {
  const k = intrinsicsFromFov(64, 48, 60);
  const even = splitRow(randomCloud(6, 4000), Pose.identity(), k, 0.5);
  assert.ok(even > 18 && even < 30, `cut at ${even} of 48`);
  const low = splitRow(randomCloud(7, 4000, 0, [-0.95, -0.55]), Pose.identity(), k, 0.5);
  assert.ok(low > 36, `cut at ${low} of 48`);
});

test('bands that are not the picture\'s rows are refused in one line', () => {
  const cloud = randomCloud(8, 50), k = intrinsicsFromFov(20, 10, 60);
  assert.throws(() => renderRows(cloud, Pose.identity(), k, [5, 3]), /^Error: project: expected rows \[start, end\) within 0\.\.10, found \[5, 3\)$/);
  assert.throws(() => renderRows(cloud, Pose.identity(), k, [0, 11]), /^Error: project: expected rows \[start, end\) within 0\.\.10, found \[0, 11\)$/);
  const band = renderRows(cloud, Pose.identity(), k, [0, 4]);
  assert.throws(() => joinBands(20, 10, [band, band]), /^Error: render bands: expected 10 rows of 20 pixels, found 8$/);
  assert.throws(() => joinBands(20, 10, [band, band, band]), /^Error: render bands: expected whole rows of 20 pixels within 20x10, found a band of 80 pixels after 160$/);
});

test('the projection arrays kept from render to render carry nothing over, and a render inside another gets its own', () => {
  const k = intrinsicsFromFov(48, 36, 60), pose = Pose.lookAt([0.1, 0, 0.2], [0, 0, -3]);
  const small = randomCloud(11, 400), large = randomCloud(12, 5000);
  const first = renderSplats(small, pose, k);
  const big = renderSplats(large, pose, k); // grows the kept arrays and leaves its records in them
  assertSame(renderSplats(small, pose, k), first, 'after a larger cloud');
  let inner: CompositeResult | undefined;
  const outer = renderSplats(large, pose, k, { onProgress: (_, stage) => { if (stage === 'rasterize' && !inner) inner = renderSplats(small, pose, k); } });
  assert.ok(inner);
  assertSame(inner, first, 'rendered while another render holds the kept arrays');
  assertSame(outer, big, 'the render around it');
});
