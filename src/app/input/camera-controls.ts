/**
 * DOM events → camera motion. All the geometry is in camera/*.ts (pure, tested in Node); this file
 * only tracks which keys are held and where pointers and fingers went.
 *
 *   fly:   WASD / arrows move, Space or E up, C or Q down, Shift faster; click to lock the pointer
 *          (or drag) to look around; the wheel changes the speed.
 *   orbit: drag circles the target, the wheel zooms, the keys slide camera and target together.
 *   touch: one finger looks (orbits in orbit mode), two fingers move (spread = forward).
 */
import { add, type Vec3 } from '../../core/vec3.ts';
import { type MoveInput, look, moveDelta, speedAfterWheel } from '../camera/fly.ts';
import { orbitRotate, orbitTargetAhead, orbitZoom } from '../camera/orbit.ts';
import { type TouchPoint, touchMotion } from '../camera/touch-gesture.ts';
import { type ViewState, forwardOf, rightOf } from '../camera/view-state.ts';

const LOOK_RADIANS_PER_PIXEL = 0.0025;
/** Two-finger gestures: metres moved per pixel of finger travel, per m/s of move speed. */
const TOUCH_METRES_PER_PIXEL = 0.01;

const KEY_AXES: Record<string, Partial<MoveInput>> = {
  KeyW: { forward: 1 }, ArrowUp: { forward: 1 },
  KeyS: { forward: -1 }, ArrowDown: { forward: -1 },
  KeyD: { right: 1 }, ArrowRight: { right: 1 },
  KeyA: { right: -1 }, ArrowLeft: { right: -1 },
  Space: { up: 1 }, KeyE: { up: 1 },
  KeyC: { up: -1 }, KeyQ: { up: -1 },
};

export class CameraControls {
  speed = 2;
  onSpeedChange?: (speed: number) => void;
  private view: ViewState;
  private orbit = false;
  private orbitTarget: Vec3 = [0, 0, 0];
  private readonly held = new Set<string>();
  private changed = true;
  private dragging = false;
  private touches: TouchPoint[] = [];
  private readonly removers: Array<() => void> = [];

  constructor(private readonly element: HTMLElement, initial: ViewState) {
    this.view = initial;
    this.listen(window, 'keydown', (e) => this.onKey(e as KeyboardEvent, true));
    this.listen(window, 'keyup', (e) => this.onKey(e as KeyboardEvent, false));
    this.listen(window, 'blur', () => this.held.clear()); // keyup never arrives once focus is gone
    this.listen(element, 'mousedown', (e) => this.onMouseDown(e as MouseEvent));
    this.listen(window, 'mouseup', () => (this.dragging = false));
    this.listen(window, 'mousemove', (e) => this.onMouseMove(e as MouseEvent));
    this.listen(element, 'wheel', (e) => this.onWheel(e as WheelEvent), { passive: false });
    for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
      this.listen(element, type, (e) => this.onTouch(e as TouchEvent), { passive: false });
    }
  }

  getView(): ViewState {
    return this.view;
  }

  setView(view: ViewState): void {
    this.view = view;
    if (this.orbit) this.orbitTarget = orbitTargetAhead(view, this.orbitDistance());
    this.changed = true;
  }

  isOrbit(): boolean {
    return this.orbit;
  }

  /** Orbit starts around the point `distance` ahead; fly resumes from wherever orbit left the camera. */
  setOrbit(on: boolean, distance = 5): void {
    this.orbit = on;
    if (on) {
      this.orbitTarget = orbitTargetAhead(this.view, distance);
      if (document.pointerLockElement === this.element) document.exitPointerLock();
    }
  }

  /** Applies held keys for dt seconds; true when the view changed since the last call. */
  update(dt: number): boolean {
    const input: MoveInput = { forward: 0, right: 0, up: 0, fast: this.held.has('ShiftLeft') || this.held.has('ShiftRight') };
    for (const code of this.held) {
      const axes = KEY_AXES[code];
      if (axes) {
        input.forward += axes.forward ?? 0;
        input.right += axes.right ?? 0;
        input.up += axes.up ?? 0;
      }
    }
    const delta = moveDelta(this.view, input, this.speed, dt);
    if (delta[0] !== 0 || delta[1] !== 0 || delta[2] !== 0) {
      this.view = { ...this.view, position: add(this.view.position, delta) };
      if (this.orbit) this.orbitTarget = add(this.orbitTarget, delta);
      this.changed = true;
    }
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  dispose(): void {
    this.removers.forEach((remove) => remove());
  }

  private listen(target: EventTarget, type: string, handler: (e: Event) => void, options?: AddEventListenerOptions): void {
    target.addEventListener(type, handler, options);
    this.removers.push(() => target.removeEventListener(type, handler, options));
  }

  private onKey(e: KeyboardEvent, down: boolean): void {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
    if (!(e.code in KEY_AXES) && !e.code.startsWith('Shift')) return;
    e.preventDefault(); // Space and arrows would otherwise scroll the page
    if (down) this.held.add(e.code);
    else this.held.delete(e.code);
  }

  private onMouseDown(e: MouseEvent): void {
    if (e.button !== 0) return;
    this.dragging = true;
    if (!this.orbit && e.detail >= 1 && document.pointerLockElement !== this.element) {
      // Pointer lock is the comfortable way to look around; dragging works where it is refused.
      this.element.requestPointerLock?.()?.catch?.(() => undefined);
    }
  }

  private onMouseMove(e: MouseEvent): void {
    const locked = document.pointerLockElement === this.element;
    if (!locked && !this.dragging) return;
    this.turn(e.movementX, e.movementY);
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    // deltaMode 1 = lines (Firefox): about 33 px a line.
    const deltaY = e.deltaMode === 1 ? e.deltaY * 33 : e.deltaY;
    if (this.orbit) {
      this.view = orbitZoom(this.view, this.orbitTarget, deltaY);
      this.changed = true;
    } else {
      this.speed = speedAfterWheel(this.speed, deltaY);
      this.onSpeedChange?.(this.speed);
    }
  }

  private onTouch(e: TouchEvent): void {
    e.preventDefault(); // no page scrolling or zooming under the viewer
    const next: TouchPoint[] = [...e.touches].map((t) => ({ id: t.identifier, x: t.clientX, y: t.clientY }));
    const motion = touchMotion(this.touches, next);
    this.touches = next;
    if (motion.look[0] !== 0 || motion.look[1] !== 0) this.turn(motion.look[0], motion.look[1]);
    if (motion.pinch !== 0 || motion.pan[0] !== 0 || motion.pan[1] !== 0) {
      const k = TOUCH_METRES_PER_PIXEL * this.speed;
      const f = forwardOf(this.view.yaw, this.view.pitch);
      const r = rightOf(this.view.yaw);
      const d: Vec3 = [0, 1, 2].map((a) => f[a] * motion.pinch * k - r[a] * motion.pan[0] * k) as Vec3;
      d[1] += motion.pan[1] * k;
      this.view = { ...this.view, position: add(this.view.position, d) };
      if (this.orbit) this.orbitTarget = add(this.orbitTarget, d);
      this.changed = true;
    }
  }

  private turn(dx: number, dy: number): void {
    if (dx === 0 && dy === 0) return;
    this.view = this.orbit
      ? orbitRotate(this.view, this.orbitTarget, dx, dy, LOOK_RADIANS_PER_PIXEL)
      : look(this.view, dx, dy, LOOK_RADIANS_PER_PIXEL);
    this.changed = true;
  }

  private orbitDistance(): number {
    const p = this.view.position, t = this.orbitTarget;
    return Math.max(0.1, Math.hypot(p[0] - t[0], p[1] - t[1], p[2] - t[2]));
  }
}
