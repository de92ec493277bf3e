/**
 * The online prompt path in the browser: SD-Turbo (src/model/text-to-image) makes a picture from the
 * words, which then becomes a world like a dropped photo. Loaded with import() so onnxruntime-web and
 * the pipeline code stay out of the page's first bundle until someone looks at the choice.
 */
import { encodeRgbaPng } from '../../io/png.ts';
import { type OnlineChoice, describeOnline } from './online-choice.ts';

export async function onlineChoice(): Promise<OnlineChoice> {
  const { textToImageAvailability } = await import('../../model/text-to-image/index.ts');
  return describeOnline(textToImageAvailability());
}

/**
 * The words as a PNG picture from SD-Turbo. Rejects with TextToImageUnavailable ('unavailable: …')
 * when it cannot run here; the caller then uses the built-in generator.
 */
export async function onlinePicture(
  prompt: string, seed: number, options: { signal?: AbortSignal; onProgress?: (f: number, stage: string) => void; onWarning?: (line: string) => void },
): Promise<Uint8Array> {
  const { textToImage } = await import('../../model/text-to-image/index.ts');
  const image = await textToImage(prompt, { seed, ...options });
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    rgba.set(image.data.subarray(3 * i, 3 * i + 3), 4 * i);
    rgba[4 * i + 3] = 255;
  }
  return encodeRgbaPng(image.width, image.height, rgba);
}

/** Is this error the online path saying it cannot run here (as opposed to a real failure)? */
export async function isUnavailable(error: unknown): Promise<boolean> {
  const { TextToImageUnavailable } = await import('../../model/text-to-image/index.ts');
  return error instanceof TextToImageUnavailable;
}
