/**
 * The viewer: ties the shown world, the GPU renderer, the camera controls, the panel and the file
 * actions together. It owns the frame loop and the rule that a failed open leaves the world as it was.
 * Knows the renderer only through the SplatRenderer interface.
 */
import type { SplatCloud } from '../core/splat-cloud.ts';
import { DEFAULT_FOV_DEG, robustBox, startViewForCloud } from './camera/start-view.ts';
import { decodeViewHash, encodeViewHash } from './camera/url-pose.ts';
import { type ViewState, forwardOf, poseFromView } from './camera/view-state.ts';
import type { Vec3 } from '../core/vec3.ts';
import { type ExportFormat, downloadBlob, exportWorld } from './files/export-world.ts';
import { FileInputs } from './files/file-inputs.ts';
import { type LoadOptions, loadWorldFromFile, loadWorldFromUrl } from './files/load-world.ts';
import { CameraControls } from './input/camera-controls.ts';
import type { Rgb, SplatRenderer } from './renderer/splat-renderer.ts';
import { Panel, type ViewerSettings } from './ui/panel.ts';
import { StatusLine } from './ui/status-line.ts';
import { WorldChunks } from './world/world-chunks.ts';

/** The URL hash follows the camera at most this often (browsers throttle replaceState floods). */
const HASH_INTERVAL_MS = 250;

export class ViewerApp {
  readonly world = new WorldChunks();
  readonly settings: ViewerSettings = {
    fovDeg: DEFAULT_FOV_DEG,
    moveSpeed: 2,
    splatScale: 1,
    shDegree: 3,
    background: '#000000',
    orbit: false,
  };
  readonly controls: CameraControls;
  readonly status: StatusLine;
  readonly panel: Panel;
  private readonly files: FileInputs;
  private needsRender = true;
  private loading: AbortController | null = null;
  private lastHashWrite = 0;
  private hashStale = false;
  private frameCount = 0;
  private frameCostMs = 0;
  private statsSince = performance.now();
  private lastFrameTime = performance.now();
  private running = false;
  /** Set by the URL (#cam=...) before the first world arrives: that view wins over the world's own. */
  private viewFromUrl: ViewState | null = null;
  private readonly frameListeners = new Set<() => void>();
  /** Middle of the shown world's bulk: what orbit mode circles when it is switched on. */
  private worldCentre: Vec3 | null = null;

  constructor(
    readonly container: HTMLElement,
    readonly renderer: SplatRenderer,
  ) {
    this.status = new StatusLine(container);
    this.controls = new CameraControls(renderer.canvas, { position: [0, 0, 3], yaw: 0, pitch: 0, fovDeg: this.settings.fovDeg });
    this.controls.speed = this.settings.moveSpeed;
    this.files = new FileInputs(container, (file) => void this.openFile(file));
    this.panel = new Panel(
      this.settings,
      {
        openFile: () => this.files.openPicker(),
        exportPly: () => this.exportAs('ply'),
        exportSplat: () => this.exportAs('splat'),
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
  showWorld(cloud: SplatCloud, startView?: ViewState): void {
    this.world.replace(cloud);
    const box = robustBox(cloud);
    this.worldCentre = box ? ([0, 1, 2].map((a) => (box.min[a] + box.max[a]) / 2) as Vec3) : null;
    this.renderer.clearChunks();
    this.renderer.addChunk(cloud);
    const aspect = this.renderer.canvas.clientWidth / Math.max(1, this.renderer.canvas.clientHeight) || 16 / 9;
    const view = this.viewFromUrl ?? startView ?? startViewForCloud(cloud, this.settings.fovDeg, aspect);
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
    this.panel.gui.controllersRecursive().forEach((c) => c.updateDisplay());
    this.controls.setView(view);
    this.needsRender = true;
  }

  getView(): ViewState {
    return this.controls.getView();
  }

  openUrl(url: string): Promise<boolean> {
    return this.open(url, (options) => loadWorldFromUrl(url, options));
  }

  openFile(file: File): Promise<boolean> {
    return this.open(file.name, (options) => loadWorldFromFile(file, options));
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
    }
    if (this.hashStale && now - this.lastHashWrite >= HASH_INTERVAL_MS) this.writeHash(now);
    if (this.needsRender) {
      this.needsRender = false;
      this.renderer.render();
      this.frameCount++;
      this.frameCostMs += performance.now() - t0;
      this.frameListeners.forEach((cb) => cb());
    }
    if (now - this.statsSince >= 1000) {
      this.panel.stats.fps = (this.frameCount * 1000) / (now - this.statsSince);
      this.panel.stats.frameMs = this.frameCount ? this.frameCostMs / this.frameCount : 0;
      this.panel.stats.splats = this.renderer.splatCount();
      this.frameCount = 0;
      this.frameCostMs = 0;
      this.statsSince = now;
    }
  }

  private async open(name: string, load: (options: LoadOptions) => Promise<SplatCloud>): Promise<boolean> {
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.status.progress(`Loading ${name}`, 0);
    try {
      const cloud = await load({
        signal: controller.signal,
        onProgress: (fraction) => this.status.progress(`Loading ${name}`, fraction),
      });
      if (controller.signal.aborted) return false;
      // Only a fully parsed world replaces the shown one: a bad file changes nothing.
      this.showWorld(cloud);
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
    this.panel.gui.controllersRecursive().forEach((c) => c.updateDisplay());
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

  private writeHash(now: number): void {
    this.lastHashWrite = now;
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
