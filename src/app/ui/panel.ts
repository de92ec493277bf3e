/**
 * The settings panel (lil-gui): view settings the user can change, actions, and live stats.
 * It edits a plain settings object and reports changes through callbacks; it knows nothing of the
 * renderer or the camera.
 */
import GUI from 'lil-gui';

export interface ViewerSettings {
  fovDeg: number;
  moveSpeed: number;
  splatScale: number;
  shDegree: number;
  /** CSS hex colour, display values like the splats' colours. */
  background: string;
  orbit: boolean;
  /** vertical field of view assumed for the next photo, degrees */
  photoFovDeg: number;
  /** words for the next world made from text */
  prompt: string;
  /** seed for the next world made from text: the same words and seed give the same world */
  seed: number;
  /** the world grows where the camera looks and sees nothing, each time it comes to rest */
  grow: boolean;
  /** words become a picture with SD-Turbo (online, opt-in) instead of the built-in generator */
  online: boolean;
}

export interface PanelActions {
  openFile(): void;
  exportPly(): void;
  exportSplat(): void;
  saveBundle(): void;
  fillView(): void;
  makeFromPrompt(): void;
  screenshot(): void;
}

export interface LiveStats {
  fps: number;
  frameMs: number;
  splats: number;
}

export class Panel {
  readonly gui: GUI;
  readonly stats: LiveStats = { fps: 0, frameMs: 0, splats: 0 };
  private readonly speedController;
  private readonly fovController;
  private readonly statControllers;
  /**
   * What the panel says about the online text-to-image path: availability, then the licence. Plain
   * lines under the checkbox, not lil-gui string fields (read-only text, and the prompt stays the
   * panel's only text input).
   */
  private readonly onlineNote: HTMLDivElement;

  constructor(settings: ViewerSettings, actions: PanelActions, onChange: (key: keyof ViewerSettings) => void) {
    this.gui = new GUI({ title: 'WorldSplat' });
    const view = this.gui.addFolder('View');
    this.fovController = view.add(settings, 'fovDeg', 20, 120, 1).name('FoV (vertical °)').onChange(() => onChange('fovDeg'));
    this.speedController = view.add(settings, 'moveSpeed', 0.01, 100).name('Move speed (m/s)').onChange(() => onChange('moveSpeed'));
    view.add(settings, 'splatScale', 0.1, 3, 0.01).name('Splat scale').onChange(() => onChange('splatScale'));
    view.add(settings, 'shDegree', [0, 1, 2, 3]).name('SH degree').onChange(() => onChange('shDegree'));
    view.addColor(settings, 'background').name('Background').onChange(() => onChange('background'));
    view.add(settings, 'orbit').name('Orbit mode').onChange(() => onChange('orbit'));

    const file = this.gui.addFolder('World');
    file.add(actions, 'openFile').name('Open photo / .ply / .splat / .worldsplat…');
    file.add(settings, 'photoFovDeg', 20, 120, 1).name('Photo FoV (vertical °)').onChange(() => onChange('photoFovDeg'));
    file.add(settings, 'prompt').name('Words').onFinishChange(() => onChange('prompt'));
    file.add(settings, 'seed').step(1).name('Seed').onFinishChange(() => onChange('seed'));
    const online = file.add(settings, 'online').name('Online: SD-Turbo (opt-in)').onChange(() => onChange('online'));
    this.onlineNote = document.createElement('div');
    this.onlineNote.className = 'online-note';
    online.domElement.after(this.onlineNote);
    this.showOnline('off: the built-in generator makes worlds from words', null);
    file.add(actions, 'makeFromPrompt').name('Make a world from the words');
    file.add(actions, 'saveBundle').name('Save .worldsplat');
    file.add(settings, 'grow').name('Grow as I look around').onChange(() => onChange('grow'));
    file.add(actions, 'fillView').name('Fill this view');
    file.add(actions, 'exportPly').name('Export .ply');
    file.add(actions, 'exportSplat').name('Export .splat');
    file.add(actions, 'screenshot').name('Screenshot .png');

    // Not listen(): that polls every animation frame and rewrites the text whenever a value changed,
    // i.e. at moments the viewer does not choose; the viewer calls showStats instead.
    const stats = this.gui.addFolder('Stats');
    this.statControllers = [
      stats.add(this.stats, 'fps').name('FPS').decimals(0).disable(),
      stats.add(this.stats, 'frameMs').name('Frame (ms)').decimals(1).disable(),
      stats.add(this.stats, 'splats').name('Splats').decimals(0).disable(),
    ];
  }

  showStats(stats: LiveStats): void {
    Object.assign(this.stats, stats);
    this.statControllers.forEach((c) => c.updateDisplay());
  }

  /** The online path's availability line and licence notice (shown whenever the licence is known). */
  showOnline(line: string, notice: string | null): void {
    const lines = [line, ...(notice ? [notice] : [])].map((text, i) => {
      const el = document.createElement('div');
      el.className = i === 0 ? 'online-availability' : 'online-licence';
      el.textContent = text;
      return el;
    });
    this.onlineNote.replaceChildren(...lines);
  }

  /** The camera's field of view changed outside the panel. */
  refreshView(): void {
    this.fovController.updateDisplay();
  }

  refreshAll(): void {
    this.gui.controllersRecursive().forEach((c) => c.updateDisplay());
  }

  /** The wheel changes the speed outside the panel; show it. */
  refreshSpeed(): void {
    this.speedController.updateDisplay();
  }
}
