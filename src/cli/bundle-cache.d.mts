/** Types for bundle-cache.mjs (plain JavaScript: it runs before any TypeScript can). */
export function bundledEntry(entry: string, cacheDir: string): Promise<{ url: string; built: boolean } | undefined>;
