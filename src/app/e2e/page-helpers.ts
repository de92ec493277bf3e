/**
 * What the browser tests do to a viewer page: serve it a world file, wait until the picture is
 * final, and read the canvas back as pixels.
 */
import type { Page } from 'playwright-core';
import { decodePng } from '../../io/png.ts';
import type { PoseJson } from '../test-hook.ts';

export interface Rgba8Image {
  width: number;
  height: number;
  /** RGBA, row-major from the top-left */
  data: Uint8Array;
}

/** Serves `bytes` at `path` on the page's origin (intercepted in the browser: no file on disk). */
export async function serveFile(page: Page, path: string, bytes: Uint8Array): Promise<void> {
  // Match the path exactly: a glob would also catch the page URL "/?url=/that/path".
  await page.route((url) => url.pathname === path, (route) =>
    route.fulfill({ status: 200, body: Buffer.from(bytes), headers: { 'content-type': 'application/octet-stream' } }),
  );
}

/** Opens the viewer at `path` (e.g. "/?url=..."), waits until its first world is shown and drawn. */
export async function openViewer(page: Page, baseUrl: string, path = '/'): Promise<void> {
  await page.goto(baseUrl + path);
  await page.waitForFunction(() => window.__worldsplat !== undefined);
  await page.evaluate(() => window.__worldsplat!.ready);
  await settle(page);
}

/**
 * The panel, help text and status line float over the canvas; screenshots must hold splats only.
 * Returns a function that shows them again.
 */
export async function hideOverlays(page: Page): Promise<() => Promise<void>> {
  const style = await page.addStyleTag({ content: '.lil-gui, .help, .status-line, .grow-indicator { visibility: hidden !important; }' });
  return async () => {
    await style.evaluate((el) => (el as Element).remove());
  };
}

export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => window.__worldsplat!.settled());
}

export async function setPose(page: Page, pose: PoseJson): Promise<void> {
  await page.evaluate((p) => window.__worldsplat!.setPose(p), pose);
  await settle(page);
}

export async function canvasPixels(page: Page, savePath?: string): Promise<Rgba8Image> {
  const png = await page.locator('canvas').screenshot({ path: savePath });
  const img = decodePng(new Uint8Array(png));
  if (img.depth !== 8) throw new Error(`expected an 8-bit screenshot, found ${img.depth}-bit`);
  const { width, height, channels } = img;
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) data[4 * i + c] = img.data[channels * i + c];
    data[4 * i + 3] = channels === 4 ? img.data[channels * i + 3] : 255;
  }
  return { width, height, data };
}

/** Mean absolute difference over RGB, in 8-bit levels (0..255). */
export function meanAbsoluteError(a: Rgba8Image, b: { width: number; height: number; data: ArrayLike<number> }): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`images differ in size: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[4 * i + c] - b.data[4 * i + c]);
  }
  return sum / (a.width * a.height * 3);
}
