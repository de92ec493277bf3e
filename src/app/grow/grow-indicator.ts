/**
 * The growth indicator in the viewer's corner: whether the world grows as the camera looks around
 * ('off'), is waiting for the camera to rest or find something unseen ('idle'), or is growing in the
 * worker right now ('expanding'). The DOM is written only when the state changes: every DOM change
 * makes the browser present one more frame of the page (see the note in viewer-app.ts).
 */
export type GrowState = 'off' | 'idle' | 'expanding';

/** The words shown for each state (pure; tests and the e2e harness read them). */
export function growStateText(state: GrowState): string {
  switch (state) {
    case 'off':
      return 'Growth: off';
    case 'idle':
      return 'Growth: idle';
    case 'expanding':
      return 'Growth: expanding…';
  }
}

export class GrowIndicator {
  readonly element: HTMLDivElement;
  private current: GrowState | null = null;

  constructor(parent: HTMLElement, state: GrowState) {
    this.element = document.createElement('div');
    this.element.className = 'grow-indicator';
    parent.append(this.element);
    this.set(state);
  }

  get state(): GrowState {
    return this.current!;
  }

  set(state: GrowState): void {
    if (state === this.current) return;
    this.current = state;
    this.element.dataset.state = state;
    this.element.textContent = growStateText(state);
  }
}
