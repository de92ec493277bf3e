/**
 * What the viewer needs from a GPU splat renderer. The rest of the app talks to this interface only,
 * so the GPU library (today Spark, see spark-adapter.ts) can be swapped without touching the UI,
 * the controls or the world bookkeeping.
 */
import type { Pose } from '../../core/camera.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';

export type Rgb = [number, number, number];

export interface SplatRenderer {
  readonly canvas: HTMLCanvasElement;
  /** Shows `cloud` as one more piece of the world, without rebuilding what is already shown. */
  addChunk(cloud: SplatCloud): void;
  /** Removes every chunk (a new world replaces the old one). */
  clearChunks(): void;
  /** Splats handed to the renderer. */
  splatCount(): number;
  /** Splats in the picture last drawn (new chunks show once they are sorted in). */
  shownSplatCount(): number;
  setView(pose: Pose, fovDeg: number): void;
  /** Background colour, display values 0..1 (the same space as splat colours). */
  setBackground(rgb: Rgb): void;
  /** Multiplies every splat's standard deviations (1 = as stored). */
  setSplatScale(scale: number): void;
  /** Highest spherical-harmonics degree used for view-dependent colour (0-3). */
  setShDegree(degree: number): void;
  /** Canvas size in CSS pixels and the device pixel ratio to render at. */
  resize(width: number, height: number, pixelRatio: number): void;
  /** Draws one frame now. */
  render(): void;
  /** True while the renderer still has work that will change the picture (sorting, uploads). */
  busy(): boolean;
  /** Called whenever background work finishes and the picture would change on the next render. */
  onNeedsRender(callback: () => void): void;
  /** Renders and encodes the current view as a PNG. */
  capturePng(): Promise<Blob>;
  dispose(): void;
}
