import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose } from '../../core/camera.ts';
import { MAX_STOPS, cameraPath, parsePoses } from './camera-paths.ts';

const start = Pose.lookAt([1, 1.6, 2], [1, 1.6, -3]); // looking down -Z
const close = (a: number[], b: number[], what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${what}: (${a}) vs (${b})`));

test('paths: turn goes right by 30 degrees a step on the spot and ends where it began', () => {
  const poses = cameraPath('turn', start, 12, 5);
  assert.equal(poses.length, 12);
  // Turning right from -Z: after 90 degrees the camera looks down +X.
  close(poses[2].forward(), [1, 0, 0], 'after 3 steps');
  close(poses[2].position, [1, 1.6, 2], 'eye');
  close(poses[11].forward(), start.forward(), 'after 12 steps');
});

test('paths: orbit keeps the centre ahead in view at the same distance', () => {
  const centre = [1, 1.6, -3];
  for (const pose of cameraPath('orbit', start, 8, 5)) {
    const toCentre = centre.map((c, i) => c - pose.position[i]);
    assert.ok(Math.abs(Math.hypot(...toCentre) - 5) < 1e-9);
    close(pose.forward(), toCentre.map((v) => v / 5), 'looks at the centre');
  }
});

test('paths: walk moves forward 0.6 x distance in all, level', () => {
  const poses = cameraPath('walk', start, 4, 5);
  close(poses[3].position, [1, 1.6, -1], 'end');
  assert.ok(poses.every((p) => Math.abs(p.position[1] - 1.6) < 1e-12));
});

test('poses.json: eye/target and position/rotation cameras; bad entries are one line', () => {
  const poses = parsePoses('[{"eye":[0,0,0],"target":[0,0,-1]},{"position":[1,2,3],"rotation":[1,0,0,0]}]');
  close(poses[0].forward(), [0, 0, -1], 'first');
  close(poses[1].position, [1, 2, 3], 'second');
  assert.throws(() => parsePoses('{}', 'p.json'), /^Error: p.json: expected a non-empty JSON array of cameras, found an empty object$/);
  assert.throws(() => parsePoses('[{"eye":[0,0],"target":[0,0,-1]}]', 'p.json'), /^Error: p.json: expected camera 0 "eye" as 3 finite numbers, found \[0,0\]$/);
  assert.throws(() => parsePoses('[1]', 'p.json'), /^Error: p.json: expected camera 0 with "eye" and "target", or "position" and "rotation", found 1$/);
  assert.throws(() => parsePoses('[{"eye":[0,0,0],"target":[0,0,0]}]', 'p.json'), { message: 'p.json: expected camera 0 "target" away from its "eye", found both at [0, 0, 0]' });
});

test('poses.json: keys it would ignore, numbers past a double, and more cameras than --steps allows are refused in one line', () => {
  const one = (text: string, message: string) => assert.throws(() => parsePoses(text, 'p.json'), { message });
  // A misspelt "up" would give a tour with the default up; "fov" is not a camera field.
  one('[{"eye":[0,0,0],"target":[0,0,-1],"Up":[1,0,0]}]', 'p.json: expected camera 0 to hold only "eye", "target", "up", found "Up"');
  one('[{"eye":[0,0,0],"target":[0,0,-1]},{"eye":[0,0,0],"target":[0,0,-1],"fov":500}]', 'p.json: expected camera 1 to hold only "eye", "target", "up", found "fov"');
  one('[{"position":[0,0,0],"rotation":[1,0,0,0],"eye":[0,0,0]}]', 'p.json: expected camera 0 to hold only "eye", "target", "up", found "position"');
  one('[{"position":[0,0,0],"rotation":[1,0,0,0],"target":[0,0,0]}]', 'p.json: expected camera 0 to hold only "position", "rotation", found "target"');
  // 1e999 parses as Infinity, which JSON.stringify would print as null.
  one('[{"eye":[0,0,0],"target":[0,0,1e999]}]', 'p.json: expected camera 0 "target" as 3 finite numbers, found [0,0,Infinity]');
  const cameras = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ eye: [0, 0, 0], target: [Math.sin(i), 0, -Math.cos(i)] })));
  assert.equal(parsePoses(cameras(MAX_STOPS)).length, 360);
  assert.equal(parsePoses(`\uFEFF${cameras(2)}`).length, 2);
  one(cameras(10_000), 'p.json: expected at most 360 cameras (as --steps), found 10000');
});

test('poses.json: an eye, target or position more than 1e6 m from the origin on an axis is refused, 1e6 m itself taken', () => {
  const one = (text: string, message: string) => assert.throws(() => parsePoses(text, 'p.json'), { message });
  // each was accepted; explore then lifted a view's splats to x = 1e30, where float32 steps are 8e22 m
  one('[{"eye":[1e30,0,0],"target":[1e30,0,-1]}]', 'p.json: expected camera 0 "eye" within 1000000 m of the origin on each axis, found [1e+30,0,0]');
  one('[{"eye":[0,0,0],"target":[0,0,-1]},{"eye":[0,0,0],"target":[0,-1000000.5,0]}]', 'p.json: expected camera 1 "target" within 1000000 m of the origin on each axis, found [0,-1000000.5,0]');
  one('[{"position":[0,0,2e6],"rotation":[1,0,0,0]}]', 'p.json: expected camera 0 "position" within 1000000 m of the origin on each axis, found [0,0,2000000]');
  const far = parsePoses('[{"eye":[-1e6,0,1e6],"target":[-1e6,0,999999]},{"position":[1e6,-1e6,1e6],"rotation":[1,0,0,0]}]');
  close(far[0].position, [-1e6, 0, 1e6], 'eye at the bound');
  close(far[0].forward(), [0, 0, -1], 'looking at the target');
  close(far[1].position, [1e6, -1e6, 1e6], 'position at the bound');
});

test('poses.json: the found part names what is there (null, an object by its keys, none) and is short and quoted', () => {
  const one = (text: string, message: string) => assert.throws(() => parsePoses(text, 'p.json'), { message });
  // each was "found object" (typeof), "found undefined", a raw key, or the whole entry however long
  one('null', 'p.json: expected a non-empty JSON array of cameras, found null');
  one('{"poses":[{"eye":[0,0,0],"target":[0,0,-1]}]}', 'p.json: expected a non-empty JSON array of cameras, found an object with "poses"');
  one('[{"eye":[0,0,0]}]', 'p.json: expected camera 0 "target" as 3 finite numbers, found none');
  one('[{"eye":[0,0,0],"target":[0,0,-1],"\\u001b[2J":1}]', 'p.json: expected camera 0 to hold only "eye", "target", "up", found "\\u001b[2J"');
  one(`[{"note":"${'x'.repeat(5000)}"}]`, `p.json: expected camera 0 with "eye" and "target", or "position" and "rotation", found an object with "note"`);
  one(`[{"eye":"${'y'.repeat(5000)}","target":[0,0,-1]}]`, `p.json: expected camera 0 "eye" as 3 finite numbers, found "${'y'.repeat(79)}...`);
});
