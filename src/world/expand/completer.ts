/**
 * The contract between expansion (what the world knows, seen from a new camera) and whatever fills in
 * what it does not know: a trained completion model, a classical inpainter, or - for worlds made from
 * a prompt - the procedural scene itself. Expansion renders the partial view, a Completer returns a
 * full one, and expansion keeps only the hole pixels (so known regions never change).
 */
import type { Intrinsics, Pose } from '../../core/camera.ts';

/** What the world shows from `pose`, at width x height (row-major from the top-left). */
export interface PartialView {
  pose: Pose;
  /** intrinsics of this width x height raster */
  intrinsics: Intrinsics;
  width: number;
  height: number;
  /** sRGB-encoded 0..1, 3 per pixel; meaningful where mask is 0 */
  rgb: Float32Array;
  /** metres along the view axis where known; 0 = unknown (hole or sky) */
  depth: Float32Array;
  /** 1 = hole to fill, 0 = known (keep) */
  mask: Uint8Array;
  /** the world's prompt, if it came from words; completers that understand text use it */
  prompt: string | null;
  /**
   * Optional: a colour (sRGB 0..1) and sky share (0..1) per row, 4 values per row, from the world's
   * ORIGINAL view by elevation (elevation-guide.ts). It does not drift as fills continue fills over a
   * turn; the inpainter fills toward it far from the hole's border. Completers may ignore it.
   */
  rowGuide?: Float32Array;
  /**
   * Optional: a picture to copy texture from besides the view's own known pixels (texture-source.ts:
   * the world's first view, the photo, re-rendered at this view's pixel scale). Where a full turn
   * closes, the view's known pixels are mostly earlier fills, smooth, and a fill that copies only
   * from them stays smooth. Completers may ignore it.
   */
  texture?: TextureSource;
}

/** A picture to copy texture from, with what each of its pixels is and the row of the view at its rows' elevation. */
export interface TextureSource {
  width: number;
  height: number;
  /** sRGB-encoded 0..1, 3 per pixel */
  rgb: Float32Array;
  /** per pixel: 0 = surface, 1 = sky, 2 = not usable (the picture does not cover it) */
  kind: Uint8Array;
  /**
   * per row: the row of the VIEW (fractional, pixel centres at y + 0.5 as camera.ts) that looks at the
   * same elevation along its centre column; the texture synthesis matches rows by it (a row of a camera
   * turned on the spot is one elevation: grass stays low and clouds high)
   */
  row: Float32Array;
}

/** A full view: every pixel has a colour, and a depth (0 = sky, seen to infinity). */
export interface CompletedView {
  /** sRGB-encoded 0..1, 3 per pixel, same size as the partial view */
  rgb: Float32Array;
  /** metres along the view axis; 0 = sky */
  depth: Float32Array;
  /** 0..1 per pixel; absent = 1 */
  confidence?: Float32Array;
}

export interface Completer {
  /** short name for logs and the CLI, e.g. 'model', 'inpaint', 'procedural' */
  readonly name: string;
  /**
   * True when complete() reads PartialView.texture. Making that picture costs a render of the world's
   * first view (texture-source.ts), so expansion makes it only for completers that say they use it.
   */
  readonly usesTexture?: boolean;
  /** Rejects with an AbortError-like Error when `signal` aborts; never mutates `view`. */
  complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView>;
  /**
   * complete()'s depth alone, the same values, where leaving out the colour saves work: a caller that
   * takes its colour from another completer (SplitCompleter) asks for this when it is there.
   */
  completeDepth?(view: PartialView, signal?: AbortSignal): Promise<Float32Array>;
}

/** One-line errors for a partial view whose arrays do not match its size (every completer checks its input with this). */
export function checkPartialView(view: PartialView): void {
  const { width, height } = view;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`partial view: expected a positive integer size, found ${width}x${height}`);
  }
  const pixels = width * height;
  if (view.rgb.length !== 3 * pixels || view.depth.length !== pixels || view.mask.length !== pixels) {
    throw new Error(`partial view: expected rgb ${3 * pixels}, depth and mask ${pixels} values for ${width}x${height}, found ${view.rgb.length}, ${view.depth.length}, ${view.mask.length}`);
  }
  if (view.rowGuide !== undefined && view.rowGuide.length !== 4 * height) {
    throw new Error(`partial view: expected a row guide of ${4 * height} values (4 per row), found ${view.rowGuide.length}`);
  }
  const t = view.texture;
  if (t !== undefined) {
    const tp = t.width * t.height;
    if (!(Number.isInteger(t.width) && Number.isInteger(t.height) && tp > 0) || t.rgb.length !== 3 * tp || t.kind.length !== tp || t.row.length !== t.height) {
      throw new Error(`partial view: expected a texture source of ${t.width}x${t.height} with rgb ${3 * tp}, kind ${tp} and row ${t.height} values, found ${t.rgb.length}, ${t.kind.length}, ${t.row.length}`);
    }
  }
  if (view.intrinsics.width !== width || view.intrinsics.height !== height) {
    throw new Error(`partial view: expected intrinsics for ${width}x${height}, found ${view.intrinsics.width}x${view.intrinsics.height}`);
  }
}
