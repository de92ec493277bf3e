/**
 * The texture source of an expansion (texture-source.ts) and the texture synthesis copying from it
 * (texture-synthesis.ts, PartialView.texture): where a turn closes, the view's known pixels are smooth
 * earlier fills, and only the photo has texture to copy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov, projectCameraPoint, unprojectPixel } from '../../core/camera.ts';
import { apply3 } from '../../core/mat3.ts';
import { checkPartialView } from './completer.ts';
import type { Completer, PartialView, TextureSource } from './completer.ts';
import { expandView } from './expand-view.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { partialView } from './partial-view-fixture.ts';
import { castView, courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';
import { liftedPicture, matchingRows, photoTextureSource, renderFirstView } from './texture-source.ts';
import { SplitCompleter } from './split-completer.ts';
import { synthesiseDetail, TextureSynthesisCompleter } from './texture-synthesis.ts';

const W = 160, H = 96;
const identityRows = (h: number) => Float32Array.from({ length: h }, (_, r) => r);

/** A texture source of W x H whose pixels are `colour(x, y)`, sky where `sky(x, y)`, rows at the view's own elevations. */
function source(colour: (x: number, y: number) => [number, number, number], sky = (_x: number, _y: number) => false): TextureSource {
  const rgb = new Float32Array(3 * W * H), kind = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) { rgb.set(colour(x, y), 3 * (y * W + x)); kind[y * W + x] = sky(x, y) ? 1 : 0; }
  return { width: W, height: H, rgb, kind, row: identityRows(H) };
}

/** Mean |step| of channel c between horizontal neighbours over pixels where `region`. */
function meanStep(rgb: Float32Array, c: number, region: (x: number, y: number) => boolean): number {
  let s = 0, n = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x + 1 < W; x++) {
      if (!region(x, y) || !region(x + 1, y)) continue;
      s += Math.abs(rgb[3 * (y * W + x) + c] - rgb[3 * (y * W + x + 1) + c]); n++;
    }
  }
  return s / n;
}

/** The inner completion of a view: flat grey 0.5 in the hole (an inpainter's smooth fill), depth 5. */
function flatCompletion(v: PartialView) {
  const rgb = v.rgb.slice(), depth = v.depth.slice();
  for (let i = 0; i < v.mask.length; i++) if (v.mask[i]) { rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = 0.5; depth[i] = 5; }
  return { rgb, depth };
}

test('texture source: a hole beside smooth known pixels takes the texture of the texture source, and stays smooth without one', () => {
  // The known part is flat (earlier fills); the texture source carries a pattern of period 9 around the same grey.
  const T = 9;
  const g = (x: number, y: number) => 0.5 + 0.12 * Math.cos((2 * Math.PI * x) / T) + 0.08 * Math.sin((2 * Math.PI * (x + 2 * y)) / T);
  const view = partialView(W, H, () => [0.5, 0.5, 0.5], (x) => x >= 64);
  const texture = source((x, y) => [g(x, y), g(x, y), g(x, y)]);
  const deep = (x: number, y: number) => x >= 64 + 8 && y >= 4 && y < H - 4 && x < W - 4;
  const truthStep = meanStep(texture.rgb, 0, deep);
  const without = synthesiseDetail(view, flatCompletion(view), { maxDetail: Infinity });
  const withSource = synthesiseDetail({ ...view, texture }, flatCompletion(view), { maxDetail: Infinity });
  const a = meanStep(without, 0, deep), b = meanStep(withSource, 0, deep);
  assert.ok(a < 0.05 * truthStep, `without a texture source the fill is smooth: mean step ${a.toFixed(4)} (pattern ${truthStep.toFixed(4)})`);
  assert.ok(Math.abs(b / truthStep - 1) < 0.2, `with it, the fill's mean step ${b.toFixed(4)} is the pattern's ${truthStep.toFixed(4)}`);
  // Known pixels are returned exactly.
  for (let i = 0; i < W * H; i++) if (!view.mask[i]) assert.equal(withSource[3 * i], view.rgb[3 * i]);
  // Setting sourceCandidates to 0 leaves the texture source out: the same fill as without one.
  assert.deepEqual(synthesiseDetail({ ...view, texture }, flatCompletion(view), { maxDetail: Infinity, sourceCandidates: 0 }), without);
});

test('texture source: sky texture goes only into sky and surface texture only onto surface', () => {
  // Sky above row 40 in both the view and the texture source. The texture source's sky varies in red
  // only, its surface in green only; the view is flat and its right part a hole.
  const horizon = 40;
  const isSky = (_x: number, y: number) => y < horizon;
  const texture = source((x, y) => (y < horizon ? [0.5 + 0.15 * Math.cos((2 * Math.PI * x) / 7), 0.5, 0.5] : [0.5, 0.5 + 0.15 * Math.cos((2 * Math.PI * (x + y)) / 7), 0.5]), isSky);
  const view = partialView(W, H, () => [0.5, 0.5, 0.5], (x) => x >= 64, (_x, y) => (y < horizon ? 0 : 5));
  const completion = flatCompletion(view);
  for (let i = 0; i < W * H; i++) if (view.mask[i] && ((i / W) | 0) < horizon) completion.depth[i] = 0; // the hole's sky is sky
  const out = synthesiseDetail({ ...view, texture }, completion, { maxDetail: Infinity });
  const skyHole = (x: number, y: number) => x >= 72 && y >= 4 && y < horizon - 4;
  const groundHole = (x: number, y: number) => x >= 72 && y >= horizon + 4 && y < H - 4;
  const redSky = meanStep(out, 0, skyHole), greenSky = meanStep(out, 1, skyHole);
  const redGround = meanStep(out, 0, groundHole), greenGround = meanStep(out, 1, groundHole);
  assert.ok(redSky > 0.03 && greenSky < 0.002, `sky: red steps ${redSky.toFixed(4)}, green ${greenSky.toFixed(4)}`);
  assert.ok(greenGround > 0.03 && redGround < 0.002, `ground: green steps ${greenGround.toFixed(4)}, red ${redGround.toFixed(4)}`);
});

test('texture source: a bad one is refused in one line', () => {
  const view = partialView(8, 6, () => [0.5, 0.5, 0.5], (x) => x > 4);
  const texture: TextureSource = { width: 4, height: 3, rgb: new Float32Array(36), kind: new Uint8Array(12), row: new Float32Array(2) };
  assert.throws(() => checkPartialView({ ...view, texture }), /^Error: partial view: expected a texture source of 4x3 with rgb 36, kind 12 and row 3 values, found 36, 12, 2$/);
});

test('matchingRows: the row of the view where the texture source\'s centre-column ray lands (level and tilted cameras)', () => {
  const k = intrinsicsFromFov(64, 48, 60), from = intrinsicsFromFov(80, 60, 50);
  const eye: [number, number, number] = [1, 2, 3];
  const fromPose = Pose.lookAt(eye, [1, 2, 2]); // level, looking down -Z
  for (const pitch of [0, 12, -20]) {
    // Turned 70 degrees about the vertical and tilted by `pitch`, no roll.
    const yaw = (70 * Math.PI) / 180, t = (pitch * Math.PI) / 180;
    const pose = Pose.lookAt(eye, [eye[0] - Math.sin(yaw) * Math.cos(t), eye[1] + Math.sin(t), eye[2] - Math.cos(yaw) * Math.cos(t)]);
    const rows = matchingRows(fromPose, from, pose, k);
    for (let r = 0; r < from.height; r += 7) {
      // The truth: the same elevation seen by the view's centre column, by projecting a world
      // direction of that elevation at the view's own azimuth.
      const ray = unprojectPixel(from, from.cx, r + 0.5, 1);
      const world = apply3(fromPose.worldFromCamera, ray);
      const horizontal = Math.hypot(world[0], world[2]);
      const forward = pose.forward(), fh = Math.hypot(forward[0], forward[2]);
      const dir: [number, number, number] = [(forward[0] / fh) * horizontal, world[1], (forward[2] / fh) * horizontal];
      const p = projectCameraPoint(k, pose.worldToCamera([eye[0] + dir[0], eye[1] + dir[1], eye[2] + dir[2]]));
      assert.ok(Math.abs(p.u - k.cx) < 1e-6, 'the direction is on the view\'s centre column');
      assert.ok(Math.abs(rows[r] - (p.v - 0.5)) < 1e-3, `pitch ${pitch}, row ${r}: ${rows[r]} against ${p.v - 0.5}`);
    }
  }
});

test('photoTextureSource: the first view re-rendered at the view\'s focal length, its sky and surface told apart, made once', () => {
  const scene = courtyardScene();
  const k0 = intrinsicsFromFov(96, 72, 60), eye: [number, number, number] = [0, 1.6, 0];
  const world = worldFromView(scene, yawPose(eye, 0), k0);
  const k = intrinsicsFromFov(192, 144, 60); // twice the pixels per radian
  const a = photoTextureSource(world, yawPose(eye, -90), k)!;
  assert.equal(a.width, 192); assert.equal(a.height, 144);
  // Against the ray-cast scene at that size: colour where the scene is surface, and the class.
  const truth = castView(scene, yawPose(eye, 0), k);
  let agree = 0, counted = 0, err = 0, n = 0;
  for (let y = 4; y < 140; y++) {
    for (let x = 4; x < 188; x++) {
      const i = y * 192 + x;
      counted++;
      if ((truth.depth[i] > 0 ? 0 : 1) === a.kind[i]) agree++;
      if (truth.depth[i] > 0 && a.kind[i] === 0) { for (let c = 0; c < 3; c++) err += (a.rgb[3 * i + c] - truth.rgb[3 * i + c]) ** 2; n += 3; }
    }
  }
  assert.ok(agree > 0.97 * counted, `class agrees on ${agree} of ${counted} pixels`);
  const psnr = 10 * Math.log10(n / err);
  assert.ok(psnr > 22, `surface colour ${psnr.toFixed(1)} dB against the scene (an upsampled 96 px world)`);
  // The same picture for another pose at the same focal length (rendered once); the rows follow the pose.
  const b = photoTextureSource(world, yawPose(eye, 180), k)!;
  assert.equal(b.rgb, a.rgb);
  assert.ok(Math.abs(b.row[50] - 50) < 1e-3, `level cameras: row 50 -> ${b.row[50]}`);
  // Another far limit re-classes the same picture: everything nearer than 1e6 is surface, beyond 0.01 sky.
  const near = photoTextureSource(world, yawPose(eye, 180), k, 0.01)!, far = photoTextureSource(world, yawPose(eye, 180), k, 1e6)!;
  const surface = (t: TextureSource) => t.kind.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
  assert.equal(surface(near), 0, 'far limit 0.01: no surface');
  assert.ok(surface(far) > surface(a), `far limit 1e6: ${surface(far)} surface pixels against ${surface(a)} at 100`);
  // No first frame: nothing.
  assert.equal(photoTextureSource({ memory: { frames: [] } } as never, yawPose(eye, 0), k), null);
});

test('expandView hands the texture source to a completer that uses it, by default; not with textureSource: false, nor to one that does not use it', async () => {
  const k = intrinsicsFromFov(96, 72, 60), eye: [number, number, number] = [0, 1.6, 0];
  const seen: (TextureSource | undefined)[] = [];
  const inner = new InpaintCompleter();
  const spy = (usesTexture: boolean): Completer => ({ name: 'spy', usesTexture, complete: (v, s) => { seen.push(v.texture); return inner.complete(v, s); } });
  await expandView(worldFromView(courtyardScene(), yawPose(eye, 0), k), yawPose(eye, -40), k, spy(true));
  await expandView(worldFromView(courtyardScene(), yawPose(eye, 0), k), yawPose(eye, -40), k, spy(true), { textureSource: false });
  await expandView(worldFromView(courtyardScene(), yawPose(eye, 0), k), yawPose(eye, -40), k, spy(false));
  assert.equal(seen.length, 3);
  assert.ok(seen[0] && seen[0].width === 96 && seen[0].height === 72);
  assert.equal(seen[1], undefined);
  assert.equal(seen[2], undefined);
});

test('the texture synthesis and a split completer with it for colour say they use the texture source; the plain inpainter does not', () => {
  const synth = new TextureSynthesisCompleter(new InpaintCompleter());
  assert.equal(synth.usesTexture, true);
  assert.equal(new TextureSynthesisCompleter(new InpaintCompleter(), { sourceCandidates: 0 }).usesTexture, false);
  assert.equal(new SplitCompleter(synth, new InpaintCompleter()).usesTexture, true);
  assert.equal(new SplitCompleter(new InpaintCompleter(), new InpaintCompleter()).usesTexture, false);
  assert.notEqual((new InpaintCompleter() as Completer).usesTexture, true);
});

test('a photo world\'s first frame is read from its one-splat-per-pixel grid, matching its render; splats not on that grid fall back to the render', () => {
  const k = intrinsicsFromFov(96, 72, 60), eye: [number, number, number] = [0, 1.6, 0];
  const world = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  const first = world.memory.frames[0];
  const view = intrinsicsFromFov(64, 48, 60); // 2/3 of the frame's scale, as explore's 512x384 against a 1024 px photo
  const grid = liftedPicture(world, first, view, 100);
  const rendered = renderFirstView(world, first, view, 100);
  assert.ok(grid && rendered);
  assert.deepEqual([grid.width, grid.height], [rendered.width, rendered.height]);
  // Colours: the same picture, the render a little blurrier (splat footprints); classes agree away from the horizon.
  let se = 0, agree = 0, n = 0;
  for (let i = 0; i < grid.kind.length; i++) {
    if (rendered.kind[i] === 2) continue;
    n++;
    if (grid.kind[i] === rendered.kind[i]) agree++;
    for (let c = 0; c < 3; c++) se += (grid.rgb[3 * i + c] - rendered.rgb[3 * i + c]) ** 2;
  }
  const psnr = 10 * Math.log10(1 / (se / (3 * n)));
  assert.ok(psnr > 25, `grid picture against the render: ${psnr.toFixed(1)} dB`);
  assert.ok(agree / n > 0.97, `sky / surface agree on ${(100 * agree / n).toFixed(1)}% of pixels`);
  // Splats moved off their pixels (a .ply read from elsewhere): not a grid.
  const moved = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  moved.splats.positions.copyWithin(3 * 500, 3 * 20, 3 * 21); // splat 500 now stands where splat 20 does
  assert.equal(liftedPicture(moved, moved.memory.frames[0], view, 100), null);
});
