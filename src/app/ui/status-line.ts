/**
 * One line at the bottom of the viewer: progress of long work ("Loading world.ply 42%") or the
 * one-line error of the last thing that failed. Errors stay until the next action or a click.
 */
/** Progress text changes at most this often. */
const PROGRESS_INTERVAL_MS = 250;

export class StatusLine {
  readonly element: HTMLDivElement;
  private progressLabel = '';
  private progressShownAt = 0;
  private text: HTMLSpanElement;
  private bar: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.element = document.createElement('div');
    this.element.className = 'status-line';
    this.element.setAttribute('role', 'status');
    this.bar = document.createElement('div');
    this.bar.className = 'status-bar';
    this.text = document.createElement('span');
    this.element.append(this.bar, this.text);
    this.element.addEventListener('click', () => this.clear());
    parent.append(this.element);
    this.clear();
  }

  progress(label: string, fraction: number): void {
    const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
    // Each change of the line makes the browser present one more frame of the page (costly with
    // software WebGL, see viewer-app.ts): a few updates a second are enough to show it moves.
    const now = performance.now();
    if (this.element.dataset.kind === 'progress' && label === this.progressLabel && pct < 100 && now - this.progressShownAt < PROGRESS_INTERVAL_MS) return;
    this.progressLabel = label;
    this.progressShownAt = now;
    this.show('progress', `${label} ${pct}%`);
    this.bar.style.width = `${pct}%`;
  }

  error(message: string): void {
    this.show('error', message);
    this.bar.style.width = '0';
  }

  info(message: string): void {
    this.show('info', message);
    this.bar.style.width = '0';
  }

  clear(): void {
    this.element.hidden = true;
    this.element.dataset.kind = '';
    this.text.textContent = '';
  }

  /** The error now shown, or null (the e2e tests read this). */
  currentError(): string | null {
    return this.element.dataset.kind === 'error' ? this.text.textContent : null;
  }

  private show(kind: string, message: string): void {
    this.element.hidden = false;
    this.element.dataset.kind = kind;
    this.text.textContent = message;
  }
}
