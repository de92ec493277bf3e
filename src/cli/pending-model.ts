/**
 * A shipped model whose session is still being made, usable already: its manifest entry is known
 * now, and run() waits for the session. `worldsplat generate` passes it to generateFromPhoto as soon
 * as the photo is decoded, so the photo's preparation for the model (resized into the input tensor
 * on the main thread, ~40-90 ms) happens while the session is made on the model's thread rather than
 * after. A session that fails to open fails the first run() with its own error, as before it failed
 * where the model was awaited (after any error of the photo's).
 */
import type { Model, ModelEntry, TensorData } from '../model/index.ts';

export function pendingModel(entry: ModelEntry, opening: Promise<Model>): Model {
  const ready = opening;
  ready.catch(() => undefined); // surfaces in run()
  let opened: Model | undefined;
  ready.then((model) => (opened = model), () => undefined);
  return {
    entry,
    // Known once the session is open (the native build or WebAssembly: src/model/node/load-model.ts).
    get executionProvider() {
      return opened?.executionProvider ?? 'cpu';
    },
    get skippedProviders() {
      return opened?.skippedProviders ?? [];
    },
    run: async (feeds: Record<string, TensorData>) => (await ready).run(feeds),
    release: async () => {
      let model: Model;
      try {
        model = await ready;
      } catch {
        return; // no session was made: nothing to release
      }
      await model.release();
    },
  };
}
