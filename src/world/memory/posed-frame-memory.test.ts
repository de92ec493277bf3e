import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { quatFromAxisAngle } from '../../core/quat.ts';
import { seededRandom } from '../../core/random.ts';
import type { Vec3 } from '../../core/vec3.ts';
import { type FrameInput, PosedFrameMemory } from './posed-frame-memory.ts';

const K = intrinsicsFromFov(64, 48, 60);
const HALF_HFOV = Math.atan(K.cx / K.fx);

/** A view whose depth is the same everywhere (a wall square to the view axis), or sky (0). */
function view(pose: Pose, depth = 0): FrameInput {
  return {
    pose,
    intrinsics: K,
    image: { width: K.width, height: K.height, data: new Uint8Array(K.width * K.height * 3).fill(100) },
    depth: { width: 16, height: 12, data: new Float32Array(16 * 12).fill(depth) },
  };
}

const yaw = (eye: Vec3, radians: number) => new Pose(eye, quatFromAxisAngle([0, 1, 0], radians));
const lookingMinusZ = (eye: Vec3) => yaw(eye, 0);
const lookingPlusZ = (eye: Vec3) => yaw(eye, Math.PI);

function memoryOf(views: FrameInput[]): PosedFrameMemory {
  let t = 1000;
  const memory = new PosedFrameMemory({ now: () => t++ });
  for (const v of views) memory.add(v, { splatStart: 0, splatCount: 0 });
  return memory;
}

test('a frame looking the same way from nearby ranks above one at the same distance looking away', () => {
  const memory = memoryOf([view(lookingPlusZ([-1, 0, 0])), view(lookingMinusZ([1, 0, 0]))]);
  const got = memory.nearest(lookingMinusZ([0, 0, 0]), K, 2);
  assert.deepEqual(got.map((r) => r.frame.id), [1]); // the one looking away sees none of the query's frustum
  assert.ok(got[0].score > 0.5, `score ${got[0].score}`);
});

test('a frame behind the query looking at the same wall beats a frame close by facing the other way', () => {
  // Walls at z = -10 and z = +10; each frame's depth is its distance to the wall it faces.
  const behind = view(lookingMinusZ([0, 0, 3]), 13);
  const closeFacingBack = view(lookingPlusZ([0, 0, -0.3]), 10.3);
  const memory = memoryOf([closeFacingBack, behind]);
  const got = memory.nearest(lookingMinusZ([0, 0, 0]), K, 2, { near: 0.25, far: 25 });
  assert.equal(got[0].frame.id, 1);
  assert.ok(got.length === 1 || got[0].score > 3 * got[1].score, JSON.stringify(got.map((r) => r.score)));
});

test('overlap is the analytic share of the frustum: a frame turned by half the horizontal field of view sees the left half', () => {
  // Same eye, turned left by half the horizontal FoV: its right frustum edge is the query's centre
  // plane, so it sees exactly the sample columns left of the centre (2 of 4), at every depth.
  const memory = memoryOf([view(yaw([0, 0, 0], HALF_HFOV)), view(lookingMinusZ([0, 0, 0]))]);
  const got = memory.nearest(lookingMinusZ([0, 0, 0]), K, 5);
  assert.deepEqual(got.map((r) => [r.frame.id, r.score]), [[1, 1], [0, 0.5]]);
});

test('a frame that saw a wall close in front of it does not see what lies behind the wall', () => {
  const memory = memoryOf([view(lookingMinusZ([0, 0, 0]), 0.5)]);
  const got = memory.nearest(lookingMinusZ([0, 0, 0]), K, 1, { near: 1, far: 10 });
  assert.equal(got.length, 0);
});

test('ties are broken by eye distance, then by the older frame, the same way every time', () => {
  const memory = memoryOf([view(lookingMinusZ([0, 0, 0.2])), view(lookingMinusZ([0, 0, 0.1])), view(lookingMinusZ([0, 0, 0.1]))]);
  for (let run = 0; run < 3; run++) {
    const got = memory.nearest(lookingMinusZ([0, 0, 0]), K, 3);
    assert.deepEqual(got.map((r) => r.frame.id), [1, 2, 0]);
    assert.ok(got.every((r) => r.score === 1));
  }
});

test('the pre-filter never changes the answer: nearest equals brute force over random frames and queries', () => {
  const rand = seededRandom(7);
  const randomPose = (spread: number) =>
    new Pose([(rand() - 0.5) * spread, (rand() - 0.5) * 2, (rand() - 0.5) * spread], [rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5]);
  const memory = memoryOf(Array.from({ length: 300 }, () => view(randomPose(60), rand() < 0.3 ? 0 : 1 + 20 * rand())));
  for (let q = 0; q < 40; q++) {
    const pose = randomPose(60);
    const fast = memory.nearest(pose, K, 8).map((r) => [r.frame.id, r.score]);
    const slow = memory.nearestBruteForce(pose, K, 8).map((r) => [r.frame.id, r.score]);
    assert.deepEqual(fast, slow, `query ${q}`);
  }
});

test('frames are stored downsampled to the long side, with their splat range, prompt, time stamp and id', () => {
  const big = intrinsicsFromFov(512, 384, 50);
  const data = new Uint8Array(512 * 384 * 3);
  for (let i = 0; i < 512 * 384; i++) data.set([200, 100, 50], 3 * i);
  const memory = new PosedFrameMemory({ now: () => 42 });
  const frame = memory.add(
    { pose: Pose.identity(), intrinsics: big, image: { width: 512, height: 384, data }, depth: { width: 8, height: 6, data: new Float32Array(48).fill(3) }, confidence: { width: 512, height: 384, data: new Float32Array(512 * 384).fill(0.5) }, prompt: 'a hall' },
    { splatStart: 10, splatCount: 5 },
  );
  assert.deepEqual([frame.id, frame.width, frame.height, frame.splatStart, frame.splatCount, frame.prompt, frame.timestamp], [0, 128, 96, 10, 5, 'a hall', 42]);
  assert.deepEqual([...frame.rgb.subarray(0, 6)], [200, 100, 50, 200, 100, 50]);
  assert.ok(frame.depth.every((d) => d === 3));
  assert.ok(frame.confidence.every((c) => c === 128)); // round(0.5 * 255)
  assert.equal(memory.pictureBytes(), 128 * 96 * 8);
  assert.throws(() => memory.add(view(Pose.identity()), { splatStart: -1, splatCount: 0 }), /^Error: memory: expected a splat range/);
});
