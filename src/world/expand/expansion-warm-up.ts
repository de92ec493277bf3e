/**
 * Warming the whole expansion up before a world's first stop (issue #5: < 1 s per expansion).
 *
 * Why: every stage of an expansion (render, coverage, the colour fill, align, lift, append) runs once per
 * stop, so at the first stops V8 still runs them unoptimised. After the colour fill was warmed up alone
 * (texture-warm-up.ts), the sample photo world's first stop still spent render ~0.5 s, align 0.25-0.3 s,
 * lift ~0.3 s, coverage ~0.1 s there (explore --path turn, 512 x 384, model thread on, load ~3). Four
 * expansions of a tiny synthetic world (the courtyard of synthetic-scene.ts, 48 x 36, a turn of 30
 * degrees a stop) with the same colour completer, then the colour fill's own warm-up, take those stages
 * through V8's tiers for ~1 s before the tour (explore runs it while the completion model opens on its
 * thread); the first stop then took 1.35-1.65 s instead of 1.9-2.0 s and the second 1.0-1.3 s instead of
 * 1.5 s. The tiny world is thrown away: nothing of it reaches the caller's world (test).
 */
import { intrinsicsFromFov } from '../../core/camera.ts';
import type { Vec3 } from '../../core/vec3.ts';
import type { Completer, TextureSource } from './completer.ts';
import { expandView } from './expand-view.ts';
import { courtyardScene, worldFromView, yawPose } from './synthetic-scene.ts';
import { warmUpTexturedFill } from './texture-warm-up.ts';

/** The tiny world's view size and stops (48 x 36 x 4 stops cost about what 64 x 48 x 3 did, and paid as much). */
const WARM_WIDTH = 48, WARM_HEIGHT = 36, WARM_STOPS = 4;

/**
 * Expands a tiny synthetic world WARM_STOPS times with `colour` (the completer whose colour fill the tour
 * will use; a completion model is better warmed on its own view size, as explore does), then warms the
 * colour fill up and splits `texture` (texture-warm-up.ts).
 * `pause`, where given, is awaited before each expansion and each fill: a caller on a thread that also
 * serves requests (the viewer's worker) lets them in there, and aborts `signal` to stop the warm-up.
 */
export async function warmUpExpansion(
  colour: Completer, texture?: { source: TextureSource; width: number; height: number }, signal?: AbortSignal, pause?: () => Promise<void>,
): Promise<void> {
  if (pause) await pause();
  const k = intrinsicsFromFov(WARM_WIDTH, WARM_HEIGHT, 60), eye: Vec3 = [0, 1.6, 0];
  const world = worldFromView(courtyardScene(), yawPose(eye, 0), k);
  // A cold tiny expansion takes 0.5-1 s, about half of it before the completer runs: one more pause there.
  const paced: Completer = pause
    ? { name: colour.name, usesTexture: colour.usesTexture, complete: async (view, s) => { await pause(); return colour.complete(view, s); } }
    : colour;
  for (let s = 1; s <= WARM_STOPS; s++) {
    if (pause) await pause();
    await expandView(world, yawPose(eye, 30 * s), k, paced, { signal });
  }
  await warmUpTexturedFill(colour, texture, signal, pause);
}
