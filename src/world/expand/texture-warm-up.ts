/**
 * Warming the textured colour fill up before a world's first expansion (issue #5: < 1 s per expansion).
 *
 * Why: the fill (the inpainter, then texture synthesis: about 30 passes, each a function of its own) runs
 * once per expansion, so at the first stops of a tour V8 still runs most of it unoptimised: on the sample
 * photo world's turn the first stop's fill took ~1.3 s of CPU and the next three 0.5-0.8 s each, against
 * ~0.25 s once optimised. Running the same code a few times on a tiny view that takes the same paths
 * (sky and surface, a hole at one side, a row guide and a texture source) gets it compiled for ~0.7 s of
 * CPU, and the first five stops then cost ~1.8 s less (bench: scratch runs of the fill on the views of
 * that turn, in one process, CPU time; docs/notes/expansion-speed.md, "Expansion time on a photo world",
 * has the whole runs).
 * Callers run it while they would wait anyway (explore, through expansion-warm-up.ts: while the completion
 * model opens on its thread).
 * The fills it makes are thrown away and leave nothing behind that a later fill reads (test).
 */
import { Pose, intrinsicsFromFov } from '../../core/camera.ts';
import { seededRandom } from '../../core/random.ts';
import type { Completer, PartialView, TextureSource } from './completer.ts';
import { TextureSynthesisCompleter } from './texture-synthesis.ts';

/** Size and count of the warm-up fills: 10 at 48 x 36 paid best of 64x48 x6, 96x72 x4, 64x48 x10 and 128x96 x3 (same measure). */
const WARM_WIDTH = 48, WARM_HEIGHT = 36, WARM_RUNS = 10;

/**
 * A small view like a turned photo world's (pure, seeded): sky above a horizon at 0.35 of the height
 * (with a surface reaching into it), ground below whose depth grows toward the horizon, colours with
 * noise (so there is detail to copy), the right 45% a hole, a row guide, and a texture source 1.25x the
 * view's width with sky, surface and a strip it does not cover.
 */
export function textureWarmUpView(width = WARM_WIDTH, height = WARM_HEIGHT): PartialView {
  const random = seededRandom(7);
  const n = width * height, horizon = Math.round(0.35 * height);
  const rgb = new Float32Array(3 * n), depth = new Float32Array(n), mask = new Uint8Array(n);
  const noisy = (base: readonly number[], amount: number, out: Float32Array, at: number) => {
    for (let c = 0; c < 3; c++) out[at + c] = Math.min(1, Math.max(0, base[c] + amount * (random() - 0.5)));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x, sky = y < horizon && !(x > 0.3 * width && x < 0.4 * width && y > 0.2 * height);
      noisy(sky ? SKY : GROUND, 0.15, rgb, 3 * i);
      depth[i] = sky ? 0 : y < horizon ? 8 : 2 + 40 / (1 + y - horizon);
      mask[i] = x >= 0.55 * width ? 1 : 0;
    }
  }
  const rowGuide = new Float32Array(4 * height);
  for (let y = 0; y < height; y++) rowGuide.set(y < horizon ? [...SKY, 1] : [...GROUND, 0], 4 * y);
  const tw = Math.round(1.25 * width), th = Math.round(0.8 * height), tn = tw * th;
  const trgb = new Float32Array(3 * tn), kind = new Uint8Array(tn), row = new Float32Array(th);
  for (let y = 0; y < th; y++) {
    row[y] = ((y + 0.5) * height) / th + 0.1 * height;
    for (let x = 0; x < tw; x++) {
      const i = y * tw + x, sky = row[y] < horizon;
      kind[i] = x < 3 ? 2 : sky ? 1 : 0;
      noisy(sky ? SKY : GROUND, 0.2, trgb, 3 * i);
    }
  }
  return {
    pose: Pose.identity(), intrinsics: intrinsicsFromFov(width, height, 60), width, height, rgb, depth, mask, prompt: null,
    rowGuide, texture: { width: tw, height: th, rgb: trgb, kind, row },
  };
}

const SKY = [0.5, 0.65, 0.9] as const, GROUND = [0.35, 0.45, 0.25] as const;

/**
 * Runs `completer` on the warm-up view WARM_RUNS times (a fresh view each time, as expansion hands it one);
 * with `texture` (the texture source the world's expansions at width x height will be handed) a texture
 * synthesis also splits that source now, which the first expansion would otherwise do.
 * `pause`, where given, is awaited before each fill and before the split (expansion-warm-up.ts says why).
 */
export async function warmUpTexturedFill(
  completer: Completer, texture?: { source: TextureSource; width: number; height: number }, signal?: AbortSignal, pause?: () => Promise<void>,
): Promise<void> {
  for (let r = 0; r < WARM_RUNS; r++) {
    if (pause) await pause();
    await completer.complete(textureWarmUpView(), signal);
  }
  if (!texture || !(completer instanceof TextureSynthesisCompleter)) return;
  if (pause) await pause();
  splitTextureAhead(completer, texture, signal);
}

/**
 * The texture split of a world's first expansion made ahead (TextureSynthesisCompleter.prepareTexture),
 * where `completer` makes one and there is a texture source: warmUpTexturedFill's last step, and all a
 * later world needs once the code is warm (the viewer's worker).
 */
export function splitTextureAhead(completer: Completer, texture: { source: TextureSource; width: number; height: number } | undefined, signal?: AbortSignal): void {
  signal?.throwIfAborted();
  if (texture && completer instanceof TextureSynthesisCompleter) completer.prepareTexture(texture.source, texture.width, texture.height);
}
