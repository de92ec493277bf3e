/**
 * Text -> world: the words steer what is seen (snow vs desert colours, ceilings indoors, counted
 * trees), the same prompt and seed give byte-identical worlds, and the world's frame keeps the prompt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint } from '../../core/camera.ts';
import { World } from '../world.ts';
import { buildScene } from './build-scene.ts';
import { parsePrompt } from './parse-prompt.ts';
import { type Hit, raycastView, traceRay } from './raycast.ts';
import { frameOfTextView, generateFromText, parseStoredPrompt, sceneOfStoredPrompt, storedPrompt } from './text-world.ts';

const startView = (prompt: string, seed: number) => raycastView(buildScene(parsePrompt(prompt), seed), Pose.identity(), intrinsicsFromFov(64, 48, 60));

function meanColour(prompt: string, seed: number): { brightness: number; blueness: number } {
  const v = startView(prompt, seed);
  const m = [0, 0, 0];
  for (let i = 0; i < v.rgb.length; i++) m[i % 3] += v.rgb[i] / (v.rgb.length / 3);
  return { brightness: (m[0] + m[1] + m[2]) / 3, blueness: m[2] - m[0] };
}

test("'snow' worlds are brighter and bluer than 'desert' worlds at the same time of day, by a margin", () => {
  for (const [snow, desert] of [['snow', 'desert'], ['a snowy field at dusk', 'a desert at dusk'], ['snowy hills at dawn', 'sandy hills at dawn']]) {
    for (const seed of [1, 2, 3]) {
      const s = meanColour(snow, seed), d = meanColour(desert, seed);
      assert.ok(s.brightness > d.brightness + 0.05, `${snow} vs ${desert}, seed ${seed}: brightness ${s.brightness.toFixed(3)} vs ${d.brightness.toFixed(3)}`);
      assert.ok(s.blueness > d.blueness + 0.05, `${snow} vs ${desert}, seed ${seed}: blue - red ${s.blueness.toFixed(3)} vs ${d.blueness.toFixed(3)}`);
    }
  }
});

test('indoor worlds have a ceiling: rays up from the start eye hit at finite depth; outdoor ones see sky', () => {
  const up = Pose.lookAt([0, 0, 0], [0, 1, 0], [0, 0, -1]);
  const k = intrinsicsFromFov(12, 12, 10); // a 10-degree cone: a city street's sky is a narrow strip
  for (const prompt of ['a bedroom', 'an indoor room with a red sofa', 'a cosy library with tall shelves', 'a kitchen at night', 'a grand hall']) {
    const v = raycastView(buildScene(parsePrompt(prompt), 1), up, k);
    assert.ok(v.depth.every((d) => d > 0 && d < 10), `${prompt}: depths ${Math.min(...v.depth)}..${Math.max(...v.depth)}`);
  }
  for (const prompt of ['a forest', 'a city street at night', 'a desert', 'a snowy pine forest at dusk', 'a beach']) {
    const v = raycastView(buildScene(parsePrompt(prompt), 1), up, k);
    assert.ok(v.depth.every((d) => d === 0), `${prompt}: something overhead at ${Math.max(...v.depth)} m`);
  }
});

test("'three trees' gives three trees, each seen from the start", () => {
  for (const seed of [1, 2, 3]) {
    const scene = buildScene(parsePrompt('three trees in a field'), seed);
    const trees = scene.objects.map((o, i) => ({ o, i })).filter(({ o }) => o.kind === 'tree');
    assert.equal(trees.length, 3, `seed ${seed}`);
    const k = intrinsicsFromFov(512, 384, 60);
    const hit: Hit = { t: 0, kind: 0, prim: -1 };
    for (const { o, i } of trees) {
      const p = projectCameraPoint(k, [o.x, o.y + 0.6 * o.height, o.z]);
      assert.ok(p.depth > 0 && p.u >= 0 && p.u < 512 && p.v >= 0 && p.v < 384, `tree at (${o.x.toFixed(1)}, ${o.z.toFixed(1)}) outside the start view`);
      // Some ray from the start eye to the tree (trunk, crown middle, crown sides) meets it first.
      let seen = false;
      for (const [dx, fy] of [[0, 0.3], [0, 0.6], [-0.6 * o.radius, 0.6], [0.6 * o.radius, 0.6], [0, 0.85]]) {
        const t = [o.x + dx, o.y + fy * o.height, o.z];
        const len = Math.hypot(t[0], t[1], t[2]);
        traceRay(scene, 0, 0, 0, t[0] / len, t[1] / len, t[2] / len, 1e-4, 400, hit);
        seen ||= hit.kind === 1 && scene.prims[hit.prim].object === i;
      }
      assert.ok(seen, `seed ${seed}: tree ${i} hidden`);
    }
  }
  assert.equal(buildScene(parsePrompt('a tree'), 1).objects.filter((o) => o.kind === 'tree').length, 1);
});

test('the same prompt and seed give a byte-identical world; another seed another world', () => {
  const a = generateFromText('a snowy pine forest at dusk', { seed: 7, width: 64, height: 48 });
  const b = generateFromText('a snowy pine forest at dusk', { seed: 7, width: 64, height: 48 });
  const c = generateFromText('a snowy pine forest at dusk', { seed: 8, width: 64, height: 48 });
  const bytes = (v: typeof a) => [v.splats.positions, v.splats.scales, v.splats.rotations, v.splats.opacities, v.splats.colors]
    .map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength));
  assert.deepEqual(bytes(a), bytes(b));
  assert.notDeepEqual(bytes(a)[0], bytes(c)[0]);
  assert.equal(a.splats.count, 64 * 48);
});

test('the world keeps the prompt (and seed) in its first frame, and the scene can be rebuilt from it', () => {
  const view = generateFromText('a red sphere on a beach at dawn, with the cathedral', { seed: 42, width: 48, height: 36 });
  assert.deepEqual(view.ignored, ['cathedral']);
  const world = World.empty(view.splats.shDegree);
  const frame = world.append(frameOfTextView(view), view.splats);
  assert.equal(frame.prompt, 'a red sphere on a beach at dawn, with the cathedral [seed 42]');
  assert.deepEqual(parseStoredPrompt(frame.prompt!), { prompt: 'a red sphere on a beach at dawn, with the cathedral', seed: 42 });
  assert.equal(storedPrompt('a forest', 1), 'a forest'); // the default seed is not written
  assert.deepEqual(parseStoredPrompt(storedPrompt('a forest [seed 5]', 1)), { prompt: 'a forest [seed 5]', seed: 1 });
  const rebuilt = sceneOfStoredPrompt(frame.prompt!);
  assert.deepEqual(rebuilt.objects, view.scene.objects);
  assert.equal(world.splats.count, 48 * 36);
  // Sky pixels are stored as depth 0 (seen to infinity), surfaces at their depth.
  assert.ok(frame.depth.some((d) => d === 0) && frame.depth.some((d) => d > 0));
});

test('a bad seed is refused in one line and nothing is built', () => {
  assert.throws(() => generateFromText('a forest', { seed: -1 }), /^Error: seed: expected an integer from 0 to 4294967295, found -1$/);
  assert.throws(() => generateFromText('   '), /prompt: expected some words/);
});
