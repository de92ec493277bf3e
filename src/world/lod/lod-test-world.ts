/**
 * A world the lod tests share: the lift tests' sky-sphere-wall picture lifted at width x height as a
 * generated view (one splat per pixel), its first and only frame.
 */
import { liftToSplats } from '../lift.ts';
import { sphereBeforeWall } from '../lift-test-scene.ts';
import { World } from '../world.ts';

export function liftedWorld(width: number, height: number, keep?: Uint8Array) {
  const scene = sphereBeforeWall(width, height);
  const splats = liftToSplats(scene, keep ? { keep } : {});
  const world = World.empty();
  const depth = { width: scene.depth.width, height: scene.depth.height, data: Float32Array.from(scene.depth.data, (d) => (Number.isFinite(d) ? d : 0)) };
  world.append({ pose: scene.pose, intrinsics: scene.intrinsics, image: scene.image, depth }, splats);
  return { world, scene };
}
