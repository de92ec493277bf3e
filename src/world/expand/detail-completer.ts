/**
 * DetailCompleter: texture for another completer's smooth fill. The inner completer (the inpainter)
 * meets the known pixels without a step but carries no texture; a detail function keeps its depth and
 * low-frequency colour and adds fine detail taken from the known pixels (mirror-detail.ts mirrors it
 * across the border, texture-synthesis.ts copies it from known patches). This class is what the two
 * share: run the inner completer, check what it returned, replace its colours.
 */
import type { CompletedView, Completer, PartialView } from './completer.ts';

/** The completion's colours with detail added; known pixels exactly `view.rgb`. */
export type AddDetail = (view: PartialView, completed: CompletedView) => Float32Array;

export class DetailCompleter implements Completer {
  readonly name: string;

  /**
   * `what` names the detail in errors ("mirror detail: expected ..."); `name` is the completer's name,
   * by default the inner one's with '+detail' (the name the textured inpainter has in logs and the
   * explore report, whichever way its detail is made).
   */
  constructor(private readonly inner: Completer, private readonly addDetail: AddDetail, private readonly what: string, name?: string) {
    this.name = name ?? `${inner.name}+detail`;
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    signal?.throwIfAborted();
    const completed = await this.inner.complete(view, signal); // checks the view (one-line errors)
    signal?.throwIfAborted();
    const n = view.width * view.height;
    if (completed.rgb.length !== 3 * n || completed.depth.length !== n) {
      throw new Error(`${this.what}: expected ${n} pixels from '${this.inner.name}', found ${completed.rgb.length / 3} colours and ${completed.depth.length} depths`);
    }
    return { ...completed, rgb: this.addDetail(view, completed) };
  }
}

/**
 * The picture a detail function starts from: known pixels as given, hole pixels the inner completion's,
 * with the number of hole pixels and each pixel's class (1 = sky, no surface: depth 0 or missing).
 */
export function completedPicture(view: PartialView, completed: CompletedView): { rgb: Float32Array; holes: number; skyClass: Uint8Array } {
  const { mask } = view;
  const n = view.width * view.height;
  const rgb = new Float32Array(3 * n);
  const skyClass = new Uint8Array(n);
  let holes = 0;
  for (let i = 0; i < n; i++) {
    const src = mask[i] ? completed.rgb : view.rgb;
    rgb[3 * i] = src[3 * i]; rgb[3 * i + 1] = src[3 * i + 1]; rgb[3 * i + 2] = src[3 * i + 2];
    if (mask[i]) holes++;
    skyClass[i] = (mask[i] ? completed.depth[i] : view.depth[i]) > 0 ? 0 : 1;
  }
  return { rgb, holes, skyClass };
}
