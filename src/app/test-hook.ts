/**
 * A small, stable surface for the e2e tests and benchmarks (window.__worldsplat), so they drive the
 * viewer the way a user would see it without reaching into its internals.
 */
import { Pose } from '../core/camera.ts';
import { randomCloud } from '../core/random.ts';
import type { Quat } from '../core/quat.ts';
import type { Vec3 } from '../core/vec3.ts';
import { poseFromView, viewFromPose } from './camera/view-state.ts';
import type { ViewerSettings } from './ui/panel.ts';
import type { ViewerApp } from './viewer-app.ts';

export interface PoseJson {
  position: Vec3;
  /** camera-to-world, (w, x, y, z) */
  rotation: Quat;
  fovDeg: number;
}

export interface WorldSplatHook {
  /** Resolves when the first world has been handed to the renderer (or failed to load); see settled(). */
  ready: Promise<void>;
  getPose(): PoseJson;
  /** Yaw/pitch camera: any roll in `rotation` is dropped. */
  setPose(pose: PoseJson): void;
  splatCount(): number;
  shownSplatCount(): number;
  /** True while the renderer still works on a picture that would differ from the one shown. */
  busy(): boolean;
  /** Resolves after a frame drawn with everything sorted and uploaded (the picture is final). */
  settled(timeoutMs?: number): Promise<void>;
  lastError(): string | null;
  /** The last world made from a photo: its size, field of view and how long it took (null: none yet). */
  lastGeneration(): { splats: number; width: number; height: number; fovDeg: number; totalMs: number; timings: Record<string, number> } | null;
  /** Grows the world where the camera looks ('Fill this view'); resolves with the splats added. */
  fillView(): Promise<number>;
  /** Every growth that added splats so far: how many, what was unknown before, which completer, worker timings. */
  grown(): Array<{ added: number; unknownFraction: number; completer: string; timings: Record<string, number>; appendMs: number }>;
  /** Resolves when nothing is being loaded or generated any more. */
  idle(timeoutMs?: number): Promise<void>;
  openUrl(url: string): Promise<boolean>;
  /**
   * Appends `count` random splats (a stand-in for generated ones) in a box of half-size `extent`
   * around `centre`, their sizes multiplied by `sizeFactor`; with `rgb`, all of that colour and opaque
   * (benchmarks look for the new chunk in the picture).
   */
  appendRandom(count: number, seed: number, centre: Vec3, extent: number, sizeFactor?: number, rgb?: Vec3): void;
  /**
   * Replaces the world with random splats (benchmarks); returns how long the hand-over to the
   * renderer blocked the main thread.
   */
  showRandom(count: number, seed: number, extent: number, sizeFactor?: number): { handOverMs: number };
  /** Calls back after every drawn frame with its timestamp. */
  onFrame(callback: (now: number) => void): () => void;
  /** Asks for one more frame even if nothing changed. */
  requestRender(): void;
  /** Draws one frame right now, outside the frame loop (benchmarks time a bare render with it). */
  renderNow(): void;
  /** Changes a panel setting as if the user had (same code path as the panel). */
  setSetting<K extends keyof ViewerSettings>(key: K, value: ViewerSettings[K]): void;
}

declare global {
  interface Window {
    __worldsplat?: WorldSplatHook;
  }
}

export function installTestHook(app: ViewerApp, ready: Promise<void>): void {
  const nextFrame = () => new Promise<void>((resolve) => {
    const off = app.onFrame(() => {
      off();
      resolve();
    });
    app.requestRender();
  });

  window.__worldsplat = {
    ready,
    getPose() {
      const view = app.getView();
      const pose = poseFromView(view);
      return { position: [...pose.position], rotation: [...pose.rotation], fovDeg: view.fovDeg };
    },
    setPose({ position, rotation, fovDeg }) {
      app.setView(viewFromPose(new Pose(position, rotation), fovDeg));
    },
    splatCount: () => app.renderer.splatCount(),
    shownSplatCount: () => app.renderer.shownSplatCount(),
    busy: () => app.renderer.busy(),
    async settled(timeoutMs = 60_000) {
      const deadline = performance.now() + timeoutMs;
      // Two quiet frames in a row: the first may still have started a sort the second waits out.
      let quiet = 0;
      while (quiet < 2) {
        if (performance.now() > deadline) throw new Error(`viewer: still busy after ${timeoutMs} ms`);
        await nextFrame();
        await new Promise((r) => setTimeout(r, 20));
        quiet = app.renderer.busy() ? 0 : quiet + 1;
      }
    },
    lastError: () => app.status.currentError(),
    lastGeneration() {
      const g = app.lastGenerated;
      if (!g) return null;
      return { splats: g.splats.count, width: g.view.image.width, height: g.view.image.height, fovDeg: g.view.fovDeg, totalMs: g.totalMs, timings: g.timings };
    },
    fillView: () => app.growHere(),
    grown: () => app.grown.map((g) => ({ ...g })),
    async idle(timeoutMs = 300_000) {
      const deadline = performance.now() + timeoutMs;
      while (app.isBusyOpening()) {
        if (performance.now() > deadline) throw new Error(`viewer: still loading after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    openUrl: (url) => app.openUrl(url),
    appendRandom(count, seed, centre, extent, sizeFactor = 1, rgb) {
      const cloud = benchCloud(count, seed, extent, sizeFactor);
      if (rgb) {
        for (let i = 0; i < count; i++) cloud.colors.set(rgb, 3 * i);
        cloud.opacities.fill(1);
      }
      app.appendChunk(cloud.transform({ translation: centre }));
    },
    showRandom(count, seed, extent, sizeFactor = 1) {
      const cloud = benchCloud(count, seed, extent, sizeFactor);
      const t0 = performance.now();
      app.showWorld(cloud, app.getView());
      return { handOverMs: performance.now() - t0 };
    },
    onFrame: (callback) => app.onFrame(() => callback(performance.now())),
    requestRender: () => app.requestRender(),
    renderNow: () => app.renderer.render(),
    setSetting: (key, value) => app.changeSetting(key, value),
  };
}

/** randomCloud with its splats resized: benchmarks want many small splats, as real worlds have. */
export function benchCloud(count: number, seed: number, extent: number, sizeFactor: number) {
  const cloud = randomCloud(count, seed, 0, extent);
  if (sizeFactor !== 1) for (let i = 0; i < cloud.scales.length; i++) cloud.scales[i] *= sizeFactor;
  return cloud;
}
