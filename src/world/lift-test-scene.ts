/**
 * The scene the lift's bit-identity tests share (lift-async, lift-prepared): sky over a sphere before a
 * tilted wall on a textured picture (depth edges, both sigma classes) with the depth at 1/4 of the
 * picture's resolution, and a cloud's columns as bytes to compare exactly.
 */
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { planeDepth, rayAt, sampleDepth, sphereDepth, texturedPicture } from './analytic-scenes.ts';

export function sphereBeforeWall(width: number, height: number) {
  const k = intrinsicsFromFov(width, height, 60);
  const depth = sampleDepth(k, Math.ceil(width / 4), Math.ceil(height / 4), (u, v) => {
    const r = rayAt(k, u, v);
    if (v < 0.15 * height) return Infinity;
    return Math.min(sphereDepth([-0.6, 0, -4], 1.2, r), planeDepth([-0.25, 0.1, Math.sqrt(1 - 0.0725)], 7, r));
  });
  return { image: texturedPicture(width, height), depth, intrinsics: k, pose: Pose.lookAt([0, 1.6, 0], [0, 1.5, -1]) };
}

/** Every column of the cloud as bytes (positions, scales, rotations, opacities, colours). */
export const cloudBytes = (c: SplatCloud) =>
  [c.positions, c.scales, c.rotations, c.opacities, c.colors].map((a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
