/**
 * SplitCompleter: colour (and the sky decision) from one completer, surface depth from another.
 *
 * Why: on the held-out scenes the completion model's depth in holes is clearly better than the
 * classical fill's (AbsRel 0.351 vs 0.570), but its colour, computed on its 128 px grid and scaled up,
 * leaves a visible step at hole borders (bench/expand.bench.ts: colour seam 1.3-12x the truth's own
 * ratio, against about 1x for the inpainter, whose colour follows the known pixels around the hole).
 * So the viewer and `explore --completer model` take each from the one that does it well.
 */
import type { CompletedView, Completer, PartialView } from './completer.ts';

export class SplitCompleter implements Completer {
  readonly name: string;
  readonly usesTexture: boolean;

  constructor(private readonly colour: Completer, private readonly geometry: Completer) {
    this.name = `${colour.name}+${geometry.name}`;
    this.usesTexture = colour.usesTexture === true || geometry.usesTexture === true;
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    // The geometry completer starts first: a model on its own thread (the CLI's worker-model.ts) then
    // runs while the colour completer works here, instead of after it (neither writes to the view).
    // Only its depth is kept, so a completer that can leave its colour out does (completeDepth).
    const shaping = this.geometry.completeDepth ? this.geometry.completeDepth(view, signal) : this.geometry.complete(view, signal).then((c) => c.depth);
    shaping.catch(() => undefined); // awaited below; if the colour fails first, this must not go unhandled
    const coloured = await this.colour.complete(view, signal);
    const shapedDepth = await shaping;
    const n = view.width * view.height;
    if (coloured.rgb.length !== 3 * n || shapedDepth.length !== n) {
      throw new Error(`split completer: expected ${n} pixels from '${this.colour.name}' and '${this.geometry.name}', found ${coloured.rgb.length / 3} and ${shapedDepth.length}`);
    }
    // Sky is where the colour completer painted sky (depth 0): its colours were chosen for the sky, so
    // the depth must agree. Elsewhere the geometry completer's surface, or the colour completer's if the
    // geometry completer saw sky there.
    const depth = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const c = coloured.depth[i], g = shapedDepth[i];
      depth[i] = !(c > 0) ? 0 : g > 0 ? g : c;
    }
    return { rgb: coloured.rgb, depth };
  }
}
