/**
 * ModelCompleter: the Completer backed by the trained completion model (models/, manifest id
 * 'complete'; training/complete). The partial view goes through runComplete (resampled to the model's
 * grid and back), and the result keeps every known pixel exactly as given: the model only decides the
 * holes. Its depth there is metric and already meets the known depth around the hole roughly (the
 * network works relative to the known depth); expansion aligns it precisely afterwards.
 */
import { verticalFovDegrees } from '../../core/camera.ts';
import { type PartialMaps, runComplete, runCompleteDepth } from '../../model/run-complete.ts';
import type { Model } from '../../model/session.ts';
import { type CompletedView, type Completer, type PartialView, checkPartialView } from './completer.ts';

export class ModelCompleter implements Completer {
  readonly name = 'model';

  constructor(private readonly model: Model) {
    if (model.entry.task !== 'complete') throw new Error(`model completer: expected a model with task 'complete', found '${model.entry.task}' (${model.entry.id})`);
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    const { rgb, depth } = await runComplete(this.model, modelInput(view, signal), { signal });
    const { mask } = view;
    for (let i = 0; i < mask.length; i++) {
      if (mask[i]) continue;
      rgb[3 * i] = view.rgb[3 * i];
      rgb[3 * i + 1] = view.rgb[3 * i + 1];
      rgb[3 * i + 2] = view.rgb[3 * i + 2];
    }
    return { rgb, depth: withKnownDepth(depth, view) };
  }

  async completeDepth(view: PartialView, signal?: AbortSignal): Promise<Float32Array> {
    const { depth } = await runCompleteDepth(this.model, modelInput(view, signal), { signal });
    return withKnownDepth(depth, view);
  }
}

/** The model's input from a checked partial view (a bad one is refused in one line, an aborted one not started). */
function modelInput(view: PartialView, signal: AbortSignal | undefined): PartialMaps {
  signal?.throwIfAborted();
  checkPartialView(view);
  const { width, height, mask } = view;
  return { width, height, rgb: view.rgb, depth: view.depth, hole: mask, verticalFovDegrees: verticalFovDegrees(view.intrinsics) };
}

/** `depth` with the known pixels' own depth put back (0 where the view knows sky or nothing). */
function withKnownDepth(depth: Float32Array, view: PartialView): Float32Array {
  const { mask } = view;
  for (let i = 0; i < mask.length; i++) if (!mask[i]) depth[i] = view.depth[i] > 0 ? view.depth[i] : 0;
  return depth;
}
