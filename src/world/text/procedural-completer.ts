/**
 * The Completer of a world made from words: filling a hole at a new camera is ray-casting the same
 * procedural scene from that camera. The prompt (and its seed, see text-world.ts) keeps conditioning
 * every new region, and new regions agree with the old ones because both come from one scene:
 * geometry exactly; colour too, up to distance fog (measured from each view's own eye).
 *
 * The scene comes from the view's prompt (a saved world's frames carry it), rebuilt once per
 * distinct prompt string and cached; a completer can also be given its scene up front.
 */
import type { CompletedView, Completer, PartialView } from '../expand/completer.ts';
import { raycastView } from './raycast.ts';
import type { Scene } from './scene.ts';
import { sceneOfStoredPrompt } from './text-world.ts';

export class ProceduralCompleter implements Completer {
  readonly name = 'procedural';
  private readonly scenes = new Map<string, Scene>();
  private readonly fixed: Scene | null;

  /** `scene`: use this scene whatever the view's prompt says (e.g. the one just generated). */
  constructor(scene: Scene | null = null) {
    this.fixed = scene;
  }

  /** The scene for a stored prompt, built on first use. */
  sceneFor(prompt: string | null): Scene {
    if (this.fixed) return this.fixed;
    if (prompt === null) {
      throw new Error('procedural completer: expected a view of a world made from a prompt, found a view without one');
    }
    let scene = this.scenes.get(prompt);
    if (!scene) {
      scene = sceneOfStoredPrompt(prompt);
      this.scenes.set(prompt, scene);
    }
    return scene;
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    signal?.throwIfAborted();
    const { width, height, intrinsics: k } = view;
    if (k.width !== width || k.height !== height) {
      throw new Error(`procedural completer: expected intrinsics for the view's ${width}x${height}, found ${k.width}x${k.height}`);
    }
    const scene = this.sceneFor(view.prompt);
    const cast = raycastView(scene, view.pose, k, signal);
    return { rgb: cast.rgb, depth: cast.depth };
  }
}
