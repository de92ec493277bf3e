/**
 * A procedural scene as the ray caster sees it: primitives with materials, optional ground and water,
 * lights and air. Built by build-scene.ts from a SceneSpec and a seed; a pure function of both.
 */
import type { Bvh } from './bvh.ts';
import type { Environment } from './environment.ts';
import type { SurfaceMaterial } from './materials.ts';
import type { Primitive } from './primitives.ts';
import type { ObjectKind, Rgb, SceneSpec } from './scene-spec.ts';
import type { Terrain } from './terrain.ts';

export interface PointLight {
  x: number; y: number; z: number;
  colour: Rgb;
  /** radiance scale: contribution = colour * intensity * cos / (distance^2 + 1) */
  intensity: number;
  /** whether it casts shadows (costs one ray per lit pixel) */
  shadows: boolean;
  /** beyond this distance the light is ignored (keeps many street lamps cheap) */
  reach: number;
}

/** One thing the layout placed: what it is and where it stands (tests and the README count these). */
export interface PlacedObject {
  kind: ObjectKind;
  x: number;
  y: number;
  z: number;
  /** footprint radius (m) */
  radius: number;
  height: number;
  /** asked for by the prompt (true) or added by the setting (false) */
  requested: boolean;
}

export interface Scene {
  spec: SceneSpec;
  seed: number;
  indoor: boolean;
  prims: Primitive[];
  /** hierarchy over `prims` (null: rays test every primitive) */
  bvh: Bvh | null;
  materials: SurfaceMaterial[];
  terrain: Terrain | null;
  terrainMaterials: { low: number; rock: number; high: number } | null;
  water: { level: number; material: number } | null;
  lights: PointLight[];
  env: Environment;
  objects: PlacedObject[];
}
