/**
 * Shared set-up for the browser tests and benchmarks: a Vite dev server on a free localhost port and
 * headless Chromium with WebGL2 on SwiftShader (no GPU needed), launched exactly as CI runs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Harness {
  baseUrl: string;
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(viteOverrides: InlineConfig = {}): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    root: REPO_ROOT,
    logLevel: 'error',
    clearScreen: false,
    ...viteOverrides,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, ...viteOverrides.server },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const profile = mkdtempSync(join(tmpdir(), 'worldsplat-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      headless: false,
      executablePath: CHROMIUM,
      args: [
        '--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      ],
      viewport: { width: 320, height: 240 },
    });
  } catch (e) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    context,
    async newPage() {
      const page = await context.newPage();
      // tsx (esbuild keepNames) wraps named functions in __name(...); functions passed to
      // page.evaluate carry that call into the page, which has no such helper.
      await page.addInitScript('globalThis.__name = (f) => f;');
      page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') console.error(`[console] ${m.text()}`);
      });
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
