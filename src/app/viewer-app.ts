/**
 * The viewer: ties the shown world, the GPU renderer, the camera controls, the panel and the file
 * actions together. It owns the frame loop and the rule that a failed open leaves the world as it was.
 * Knows the renderer only through the SplatRenderer interface.
 */
import type { PosedFrame } from '../core/posed-frame.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { readBundle } from '../io/bundle/bundle-reader.ts';
import { writeBundle } from '../io/bundle/bundle-writer.ts';
import { DEFAULT_FOV_DEG, robustBox, startViewForCloud } from './camera/start-view.ts';
import { decodeViewHash, encodeViewHash } from './camera/url-pose.ts';
import { type ViewState, forwardOf, poseFromView } from './camera/view-state.ts';
import type { Vec3 } from '../core/vec3.ts';
import { type ExportFormat, downloadBlob, exportWorld } from './files/export-world.ts';
import { FileInputs } from './files/file-inputs.ts';
import { fileKind } from './files/file-kind.ts';
import { type LoadOptions, fileNameOfUrl, loadWorldFromFile, loadWorldFromUrl } from './files/load-world.ts';
import { GROW_LONG_SIDE } from './generate/generate-protocol.ts';
import { type GeneratedWorld, type Growth, PhotoGenerator } from './generate/photo-generator.ts';
import { ExpansionQueue } from '../world/expand/expansion-queue.ts';
import { CameraControls } from './input/camera-controls.ts';
import type { Rgb, SplatRenderer } from './renderer/splat-renderer.ts';
import { Panel, type ViewerSettings } from './ui/panel.ts';
import { GrowIndicator } from './grow/grow-indicator.ts';
import { isUnavailable, onlineChoice, onlinePicture } from './prompt/online-text-to-image.ts';
import { StatusLine } from './ui/status-line.ts';
import { WorldChunks } from './world/world-chunks.ts';
import { firstFrameOf, viewOfFrame } from './world/world-memory.ts';
import { DEFAULT_VERTICAL_FOV } from '../world/generate.ts';
import { DEFAULT_SEED } from '../world/text/text-world.ts';

/**
 * Why the page's DOM changes only at these moments: every DOM or URL change makes the browser draw and
 * present one more frame of the whole page, on top of the frames the canvas needs. With software
 * WebGL (SwiftShader) that extra frame is as expensive as compositing the canvas, and it was most of the
 * viewer's overhead over Spark's minimal page (bench/viewer.bench.ts: 13 presented frames against 7 for
 * the same 4 camera moves). So panel text is written only in a frame that draws the canvas anyway (the
 * browser presents both together), and the URL (whose change also makes the browser process draw its
 * own frame) only once the picture has come to rest.
 */
/** The URL hash follows the camera once nothing has been drawn for this long. */
const HASH_REST_MS = 400;
/** The world grows (when growing is on) once the camera has been still this long. */
const GROW_REST_MS = 300;
/** Live stats (FPS, frame time, splats) are written to the panel at most this often. */
const STATS_INTERVAL_MS = 500;
/** Photos become one splat per pixel up to this long side (lift's default, issue #4). */
export const PHOTO_MAX_LONG_SIDE = 1024;

/** A world ready to be shown, and where to stand in it (none: chosen from its bounds). */
interface OpenedWorld {
  cloud: SplatCloud;
  view?: ViewState;
  /** the views that made it (photo, words, a bundle's memory); saved with it in a .worldsplat */
  frames?: readonly PosedFrame[];
  /** the generator worker already holds this world (it made it); otherwise it is sent a copy to grow */
  adopted?: boolean;
}

export class ViewerApp {
  readonly world = new WorldChunks();
  readonly settings: ViewerSettings = {
    fovDeg: DEFAULT_FOV_DEG,
    moveSpeed: 2,
    splatScale: 1,
    shDegree: 3,
    background: '#000000',
    orbit: false,
    photoFovDeg: DEFAULT_VERTICAL_FOV,
    prompt: 'a forest clearing with rocks at dusk',
    seed: DEFAULT_SEED,
    grow: false,
    online: false,
  };
  readonly controls: CameraControls;
  readonly status: StatusLine;
  readonly panel: Panel;
  private readonly files: FileInputs;
  private readonly generator = new PhotoGenerator();
  /** The last world made from a photo (its view and the worker's timings), for tests and benchmarks. */
  lastGenerated: (GeneratedWorld & { totalMs: number }) | null = null;
  private needsRender = true;
  private loading: AbortController | null = null;
  private hashStale = false;
  /** The camera moved since the world last grew (or was asked to) at its pose. */
  private growStale = false;
  readonly growth: ExpansionQueue<Growth>;
  readonly growIndicator: GrowIndicator;
  /** Expansions that added splats, with their worker timings (tests and benchmarks read this). */
  readonly grown: Array<{ added: number; unknownFraction: number; completer: string; timings: Record<string, number>; appendMs: number }> = [];
  private lastRenderAt = 0;
  /** The FoV shown in the panel is out of date (setView); refreshed with the next drawn frame. */
  private panelStale = false;
  private frameCount = 0;
  private frameCostMs = 0;
  private statsSince = performance.now();
  private lastFrameTime = performance.now();
  private running = false;
  /** Set by the URL (#cam=...) before the first world arrives: that view wins over the world's own. */
  private viewFromUrl: ViewState | null = null;
  private readonly frameListeners = new Set<() => void>();
  /** The views that made the shown world (its posed-frame memory); their splat ranges index its first chunk. */
  private frames: readonly PosedFrame[] = [];
  /** Middle of the shown world's bulk: what orbit mode circles when it is switched on. */
  private worldCentre: Vec3 | null = null;

  constructor(
    readonly container: HTMLElement,
    readonly renderer: SplatRenderer,
  ) {
    this.status = new StatusLine(container);
    this.growIndicator = new GrowIndicator(container, this.settings.grow ? 'idle' : 'off');
    // One expansion at a time in the worker; a newer camera pose replaces a waiting one and aborts a
    // running one it makes stale (src/world/expand/expansion-queue.ts).
    this.growth = new ExpansionQueue<Growth>((pose, signal) => {
      const { width, height } = this.growSize();
      return this.generator.expand(pose, this.controls.getView().fovDeg, width, height, signal);
    });
    this.controls = new CameraControls(renderer.canvas, { position: [0, 0, 3], yaw: 0, pitch: 0, fovDeg: this.settings.fovDeg });
    this.controls.speed = this.settings.moveSpeed;
    this.files = new FileInputs(container, (file) => void this.openFile(file));
    this.panel = new Panel(
      this.settings,
      {
        openFile: () => this.files.openPicker(),
        exportPly: () => this.exportAs('ply'),
        exportSplat: () => this.exportAs('splat'),
        saveBundle: () => this.saveBundle(),
        fillView: () => void this.growHere(),
        makeFromPrompt: () => void this.openPrompt(this.settings.prompt),
        screenshot: () => void this.screenshot(),
      },
      (key) => this.applySetting(key),
    );
    this.controls.onSpeedChange = (speed) => {
      this.settings.moveSpeed = speed;
      this.panel.refreshSpeed();
    };
    renderer.onNeedsRender(() => (this.needsRender = true));
    renderer.setShDegree(this.settings.shDegree);
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
    window.addEventListener('hashchange', () => this.applyHash());
    window.addEventListener('keydown', (e) => {
      const t = e.target as HTMLElement | null;
      if (e.code === 'KeyO' && !(t && (t.tagName === 'INPUT' || t.tagName === 'SELECT'))) this.changeSetting('orbit', !this.settings.orbit);
    });
    this.applyHash();
  }

  /** Replaces the world; the camera goes to `startView` (or one chosen from the world's bounds). */
  showWorld(cloud: SplatCloud, startView?: ViewState, frames: readonly PosedFrame[] = []): void {
    this.world.replace(cloud);
    this.frames = frames;
    const box = robustBox(cloud);
    this.worldCentre = box ? ([0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as Vec3) : null;
    this.renderer.clearChunks();
    this.renderer.addChunk(cloud);
    const aspect = this.renderer.canvas.clientWidth / Math.max(1, this.renderer.canvas.clientHeight) || 16 / 9;
    const view = this.viewFromUrl ?? startView ?? (frames.length > 0 ? viewOfFrame(frames[0]) : startViewForCloud(cloud, this.settings.fovDeg, aspect));
    this.viewFromUrl = null;
    this.setView(view);
  }

  /** Grows the world by one chunk while it is being viewed; nothing already shown is rebuilt. */
  appendChunk(cloud: SplatCloud): void {
    this.world.append(cloud);
    this.renderer.addChunk(cloud);
    this.needsRender = true;
  }

  setView(view: ViewState): void {
    this.settings.fovDeg = view.fovDeg;
    this.panelStale = true;
    this.controls.setView(view);
    this.needsRender = true;
  }

  getView(): ViewState {
    return this.controls.getView();
  }

  openUrl(url: string): Promise<boolean> {
    return this.open(`Loading ${url}`, async (options) => ({ cloud: await loadWorldFromUrl(url, options) }));
  }

  /** The generator worker starts and opens the depth model now, for a photo that is on its way. */
  openModelEarly(): void {
    this.generator.openModelEarly();
  }

  /** Downloads a photo and makes a world from it (the sample photo at start-up, ?photo=). */
  async openPhotoUrl(url: string): Promise<boolean> {
    const name = fileNameOfUrl(url);
    let bytes: Uint8Array;
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`expected a photo, the server answered ${response.status} ${response.statusText}`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      this.status.error(`${name}: ${(e as Error).message}`);
      return false;
    }
    return this.openPhoto(name, bytes);
  }

  /** A photo becomes a world; anything else is opened as a world file. */
  async openFile(file: File): Promise<boolean> {
    const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
    const kind = fileKind(file.name, head);
    if (kind === 'photo') return this.openPhoto(file.name, new Uint8Array(await file.arrayBuffer()));
    if (kind === 'bundle') {
      return this.open(`Opening ${file.name}`, async () => {
        try {
          const bundle = readBundle(new Uint8Array(await file.arrayBuffer()));
          return { cloud: bundle.splats, frames: bundle.frames };
        } catch (e) {
          throw new Error(`${file.name}: ${(e as Error).message}`);
        }
      });
    }
    return this.open(`Loading ${file.name}`, async (options) => ({ cloud: await loadWorldFromFile(file, options) }));
  }

  /**
   * Makes a world from a photo in the generator worker and shows it around the camera at the photo's
   * pose: eye at the origin looking down -Z, with the photo's vertical field of view (issue #4).
   */
  openPhoto(name: string, bytes: Uint8Array): Promise<boolean> {
    const fovDeg = this.settings.photoFovDeg;
    return this.open(`Making a world from ${name}`, async ({ signal, onProgress }) => {
      const t0 = performance.now();
      const generated = await this.generator.generate(name, bytes, { fovDeg, maxLongSide: PHOTO_MAX_LONG_SIDE, signal, onProgress });
      this.lastGenerated = { ...generated, totalMs: performance.now() - t0 };
      return { cloud: generated.splats, view: { position: [0, 0, 0], yaw: 0, pitch: 0, fovDeg }, frames: [firstFrameOf(generated.view, generated.splats.count)], adopted: true };
    });
  }

  /**
   * Makes a world from words (the built-in procedural generator, in the worker) and stands at its
   * first view. Words it did not understand are named on the status line.
   */
  async openPrompt(prompt: string): Promise<boolean> {
    const fovDeg = this.settings.photoFovDeg;
    let unavailable = '';
    if (this.settings.online) {
      // Opt-in SD-Turbo: its picture becomes a world like a photo (grown by the completion model).
      // When it cannot run here, say why in one line and make the world with the built-in generator.
      try {
        const png = await onlinePicture(prompt, this.settings.seed, { onProgress: (f, stage) => this.status.progress(`SD-Turbo: ${stage}`, f) });
        return this.openPhoto(`"${prompt}"`, png);
      } catch (e) {
        if (!(await isUnavailable(e))) {
          this.status.error(`SD-Turbo: ${(e as Error).message.split('\n')[0]}`);
          return false;
        }
        unavailable = `SD-Turbo ${(e as Error).message} -> built-in generator`;
      }
    }
    let ignored: string[] = [];
    const ok = await this.open(`Making a world from "${prompt}"`, async ({ signal, onProgress }) => {
      const t0 = performance.now();
      const generated = await this.generator.generateText(prompt, { fovDeg, seed: this.settings.seed, signal, onProgress });
      this.lastGenerated = { ...generated, totalMs: performance.now() - t0 };
      ignored = generated.ignored;
      return { cloud: generated.splats, view: { position: [0, 0, 0], yaw: 0, pitch: 0, fovDeg }, frames: [firstFrameOf(generated.view, generated.splats.count, generated.prompt)], adopted: true };
    });
    const notes = [unavailable, ignored.length > 0 ? `words not used: ${ignored.join(', ')}` : ''].filter(Boolean);
    if (ok && notes.length > 0) this.status.info(notes.join('; '));
    return ok;
  }

  /**
   * Grows the world where the camera now looks and sees nothing (the 'Fill this view' button, and
   * automatically once the camera rests while growing is on). Runs in the worker; the new splats
   * are appended as one more chunk, nothing shown is rebuilt. Resolves with what was added.
   */
  async growHere(): Promise<number> {
    this.growStale = false;
    if (this.world.chunkCount === 0) return 0;
    const view = this.controls.getView();
    const worldAtStart = this.world.list()[0];
    this.growIndicator.set('expanding');
    try {
      const outcome = await this.growth.request(poseFromView(view));
      if (outcome.status === 'failed') this.status.error(outcome.error.message);
      if (outcome.status !== 'done' || !outcome.value.added) return 0;
      if (this.world.list()[0] !== worldAtStart) return 0; // another world was opened meanwhile
      const { splats, frame } = outcome.value.added;
      const t0 = performance.now();
      this.appendChunk(splats);
      const appendMs = performance.now() - t0;
      this.frames = [...this.frames, frame];
      this.grown.push({ added: splats.count, unknownFraction: outcome.value.unknownFraction, completer: outcome.value.completer, timings: outcome.value.timings, appendMs });
      return splats.count;
    } finally {
      if (!this.growth.busy) this.growIndicator.set(this.settings.grow ? 'idle' : 'off');
    }
  }

  private growSize(): { width: number; height: number } {
    const aspect = this.renderer.canvas.clientWidth / Math.max(1, this.renderer.canvas.clientHeight) || 4 / 3;
    return aspect >= 1
      ? { width: GROW_LONG_SIDE, height: Math.max(8, Math.round(GROW_LONG_SIDE / aspect)) }
      : { width: Math.max(8, Math.round(GROW_LONG_SIDE * aspect)), height: GROW_LONG_SIDE };
  }

  /** Downloads the shown world with the views that made it, as a .worldsplat bundle. */
  saveBundle(): void {
    try {
      const bytes = writeBundle({ splats: this.world.merged(), frames: this.frames });
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), 'world.worldsplat');
    } catch (e) {
      this.status.error((e as Error).message);
    }
  }

  exportAs(format: ExportFormat): void {
    try {
      const { name, blob } = exportWorld(this.world.merged(), format);
      downloadBlob(blob, name);
    } catch (e) {
      this.status.error((e as Error).message);
    }
  }

  async screenshot(): Promise<void> {
    try {
      downloadBlob(await this.renderer.capturePng(), 'worldsplat.png');
    } catch (e) {
      this.status.error((e as Error).message);
    }
  }

  /** True while a world is being loaded or generated. */
  isBusyOpening(): boolean {
    return this.loading !== null;
  }

  /** Runs `callback` after every frame the loop draws (tests and benchmarks measure with it). */
  onFrame(callback: () => void): () => void {
    this.frameListeners.add(callback);
    return () => this.frameListeners.delete(callback);
  }

  /** Asks for a frame even if nothing changed (benchmarks draw continuously this way). */
  requestRender(): void {
    this.needsRender = true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = (now: number) => {
      if (!this.running) return;
      requestAnimationFrame(tick);
      this.frame(now);
    };
    requestAnimationFrame(tick);
  }

  private frame(now: number): void {
    const dt = Math.min(0.1, (now - this.lastFrameTime) / 1000); // a stalled tab must not teleport the camera
    this.lastFrameTime = now;
    const t0 = performance.now();
    if (this.controls.update(dt)) {
      const view = this.controls.getView();
      this.renderer.setView(poseFromView(view), view.fovDeg);
      this.needsRender = true;
      this.hashStale = true;
      this.growStale = true;
    }
    if (this.needsRender) {
      this.needsRender = false;
      this.renderer.render();
      this.lastRenderAt = now;
      this.frameCount++;
      this.frameCostMs += performance.now() - t0;
      // DOM updates ride along with this drawn frame (see the note at the top).
      if (this.panelStale) {
        this.panelStale = false;
        this.panel.refreshView();
      }
      if (now - this.statsSince >= STATS_INTERVAL_MS) this.showStats(now);
      this.frameListeners.forEach((cb) => cb());
    } else {
      if (this.hashStale && now - this.lastRenderAt >= HASH_REST_MS && !this.renderer.busy()) this.writeHash();
      if (this.growStale && this.settings.grow && now - this.lastRenderAt >= GROW_REST_MS) void this.growHere();
    }
  }

  private showStats(now: number): void {
    this.panel.showStats({
      fps: (this.frameCount * 1000) / (now - this.statsSince),
      frameMs: this.frameCount ? this.frameCostMs / this.frameCount : 0,
      splats: this.renderer.splatCount(),
    });
    this.frameCount = 0;
    this.frameCostMs = 0;
    this.statsSince = now;
  }

  private async open(label: string, load: (options: LoadOptions) => Promise<OpenedWorld>): Promise<boolean> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.status.progress(label, 0);
    try {
      const { cloud, view, frames, adopted } = await load({
        signal: controller.signal,
        onProgress: (fraction) => this.status.progress(label, fraction),
      });
      if (controller.signal.aborted) return false;
      // Only a fully parsed or generated world replaces the shown one: a bad file changes nothing.
      this.growth.cancel();
      this.showWorld(cloud, view, frames);
      if (!adopted) this.generator.adopt(cloud, frames ?? []);
      this.status.clear();
      return true;
    } catch (e) {
      if (!controller.signal.aborted) this.status.error((e as Error).message);
      return false;
    } finally {
      if (this.loading === controller) this.loading = null;
    }
  }

  /** Sets a panel setting from code and applies it, exactly as editing it in the panel does. */
  changeSetting<K extends keyof ViewerSettings>(key: K, value: ViewerSettings[K]): void {
    this.settings[key] = value;
    this.panel.refreshAll();
    this.applySetting(key);
  }

  private applySetting(key: keyof ViewerSettings): void {
    const s = this.settings;
    switch (key) {
      case 'fovDeg':
        this.controls.setView({ ...this.controls.getView(), fovDeg: s.fovDeg });
        break;
      case 'moveSpeed':
        this.controls.speed = s.moveSpeed;
        break;
      case 'splatScale':
        this.renderer.setSplatScale(s.splatScale);
        break;
      case 'shDegree':
        this.renderer.setShDegree(Number(s.shDegree));
        break;
      case 'background':
        this.renderer.setBackground(hexToRgb(s.background));
        break;
      case 'orbit':
        this.controls.setOrbit(s.orbit, this.orbitDistance());
        break;
      case 'grow':
        this.growStale = s.grow;
        if (!s.grow) this.growth.cancel();
        if (!this.growth.busy) this.growIndicator.set(s.grow ? 'idle' : 'off');
        break;
      case 'online':
        if (s.online) void onlineChoice().then((c) => this.panel.showOnline(c.line, c.notice));
        else this.panel.showOnline('off: the built-in generator makes worlds from words', null);
        break;
    }
    this.needsRender = true;
  }

  /** Orbit around the point ahead at the depth of the world's middle (5 m when there is no world). */
  private orbitDistance(): number {
    const view = this.controls.getView();
    if (!this.worldCentre) return 5;
    const f = forwardOf(view.yaw, view.pitch);
    const d = [0, 1, 2].reduce((sum, a) => sum + (this.worldCentre![a] - view.position[a]) * f[a], 0);
    return Math.max(0.5, d);
  }

  private resize(): void {
    const { clientWidth: w, clientHeight: h } = this.container;
    if (w === 0 || h === 0) return;
    this.renderer.resize(w, h, Math.min(2, window.devicePixelRatio || 1));
    this.needsRender = true;
  }

  private applyHash(): void {
    try {
      const view = decodeViewHash(location.hash);
      if (!view) return;
      if (this.world.chunkCount === 0) this.viewFromUrl = view;
      else this.setView(view);
    } catch (e) {
      this.status.error((e as Error).message);
    }
  }

  private writeHash(): void {
    this.hashStale = false;
    const view = this.controls.getView();
    // replaceState: moving the camera should not fill the back button's history.
    history.replaceState(null, '', encodeViewHash(view, location.hash));
  }
}

export function hexToRgb(hex: string): Rgb {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`colour: expected #rrggbb, found "${hex}"`);
  return [parseInt(m[1], 16) / 255, parseInt(m[2], 16) / 255, parseInt(m[3], 16) / 255];
}
