/** Types for thread-policy.mjs (plain JavaScript: bin/worldsplat.mjs uses it before any TypeScript loads). */
export function reasonNotToThread(setting: string | undefined, load1: number, cores: number): string | undefined;
