/**
 * The browser decoder in a real browser: headless Chromium driven by playwright-core, the decoder
 * bundled by esbuild. Skipped (with the reason) where Chromium or playwright-core is not installed.
 * Truth: the same EXIF table as the Node decoder's test, and the Node decoder's output for the same
 * file (two independent decoders: libvips and Blink/Skia).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { NodePhotoDecoder } from './node-decoder.ts';

const CHROMIUM = '/usr/bin/chromium';
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** Optional tools, imported by a name in a variable so the typecheck does not need them installed. */
async function optional(name: string): Promise<any> {
  try {
    return await import(name);
  } catch {
    return null;
  }
}

const playwright = await optional('playwright-core');
const esbuild = await optional('esbuild'); // comes with tsx
const skip = !existsSync(CHROMIUM) ? `no ${CHROMIUM}` : !playwright ? 'no playwright-core' : !esbuild ? 'no esbuild' : false;

test('browser decoder: orientations, working size and errors match the Node decoder in Chromium', { skip, timeout: 60_000 }, async () => {
  const bundle = await esbuild.build({
    entryPoints: [new URL('./browser-decoder.ts', import.meta.url).pathname],
    bundle: true, write: false, format: 'iife', globalName: 'photo', platform: 'browser',
  });
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const decodeInPage = (bytes: Uint8Array, maxLongSide?: number) =>
      page.evaluate(async ([b, m]: [number[], number | null]) => {
        try {
          const p = await new (globalThis as any).photo.BrowserPhotoDecoder().decode(new Uint8Array(b as number[]), { maxLongSide: m ?? undefined });
          return { width: p.width, height: p.height, data: Array.from(p.data as Uint8Array) };
        } catch (e) {
          return { error: (e as Error).message };
        }
      }, [Array.from(bytes), maxLongSide ?? null]) as Promise<{ width: number; height: number; data: number[] } | { error: string }>;

    const node = new NodePhotoDecoder();
    const cases: Array<[string, number | undefined]> = [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`orient-${n}.jpg`, undefined] as [string, undefined]),
      ['orient-6.png', undefined], ['orient-6.webp', undefined], ['orient-6.jpg', 24],
    ];
    for (const [name, maxLongSide] of cases) {
      const want = await node.decode(fixture(name), { maxLongSide });
      const got = await decodeInPage(fixture(name), maxLongSide);
      assert.ok(!('error' in got), `${name}: ${'error' in got ? got.error : ''}`);
      assert.deepEqual([got.width, got.height], [want.width, want.height], `${name}: size`);
      let worst = 0;
      for (let i = 0; i < want.data.length; i++) worst = Math.max(worst, Math.abs(got.data![i] - want.data[i]));
      // Block centres must agree exactly-ish; resampled edges may differ by the resize kernel.
      assert.ok(maxLongSide ? worst <= 128 : worst <= 24, `${name}: largest difference from the Node decoder is ${worst}`);
    }
    const notImage = await decodeInPage(new TextEncoder().encode('<html>nope</html>'));
    assert.equal((notImage as { error: string }).error, 'photo: expected a JPEG, PNG or WebP image, found text starting "<html>nope</html>"');
    const jpeg = fixture('orient-1.jpg');
    const cut = await decodeInPage(jpeg.subarray(0, 40)); // inside the header
    assert.match((cut as { error: string }).error, /^photo: expected a JPEG, PNG or WebP image, found a damaged JPEG \(/);
    const webp = fixture('orient-6.webp');
    const broken = Uint8Array.from(webp); broken.fill(0xff, 60); // header intact, compressed pixels wiped
    const damaged = await decodeInPage(broken);
    assert.match((damaged as { error: string }).error, /^photo: expected a JPEG, PNG or WebP image, found a damaged WEBP \(.+\)$/);
  } finally {
    await browser.close();
  }
});
