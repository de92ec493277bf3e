/**
 * SceneSpec + seed -> Scene: a pure function (the seeded generator of core/random.ts drives every
 * choice), so the same prompt and seed always give the same scene, and a saved world can rebuild it
 * to keep growing.
 */
import { seededRandom } from '../../core/random.ts';
import { Bvh } from './bvh.ts';
import { environmentFor } from './environment.ts';
import { buildIndoor } from './layout-indoor.ts';
import { buildOutdoor } from './layout-outdoor.ts';
import { SceneBuilder } from './objects.ts';
import type { Scene } from './scene.ts';
import { type SceneSpec, isIndoor } from './scene-spec.ts';

export function buildScene(spec: SceneSpec, seed: number): Scene {
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff)) {
    throw new Error(`seed: expected an integer from 0 to 4294967295, found ${seed}`);
  }
  const rand = seededRandom(seed ^ 0x5eed1234);
  const env = environmentFor(spec, seed);
  const b = new SceneBuilder();
  const indoor = isIndoor(spec);
  let ground: ReturnType<typeof buildOutdoor> | null = null;
  if (indoor) {
    buildIndoor(spec, seed, b, rand);
    // Inside, the air is clear and the light is the lamps' and the windows'.
    env.fogDensity = 0;
    env.ambientSky = [0.08, 0.075, 0.07];
    env.ambientGround = [0.05, 0.045, 0.04];
    env.exposure = spec.cosy ? 1.5 : 1.3;
  } else {
    ground = buildOutdoor(spec, seed, b, rand, env.glow);
  }
  return {
    spec,
    seed,
    indoor,
    prims: b.prims,
    bvh: new Bvh(b.prims),
    materials: b.materials,
    terrain: ground?.terrain ?? null,
    terrainMaterials: ground?.terrainMaterials ?? null,
    water: ground?.water ?? null,
    lights: b.lights,
    env,
    objects: b.objects,
  };
}
