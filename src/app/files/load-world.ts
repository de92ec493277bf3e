/**
 * Bytes from a URL or a local file → SplatCloud, with progress and cancellation.
 * PLY is parsed as it streams in (readPlyStream), so a large file costs no second full copy and the
 * progress bar moves during the download; other formats are collected and parsed whole.
 * Any failure throws one Error whose message names the file; nothing here touches the shown world.
 */
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { readSplatFile } from '../../io/formats.ts';
import { readPlyStream } from '../../io/ply-reader.ts';

export type Progress = (fraction: number, stage: string) => void;

export interface LoadOptions {
  onProgress?: Progress;
  signal?: AbortSignal;
}

export async function loadWorldFromUrl(url: string, options: LoadOptions = {}): Promise<SplatCloud> {
  const name = fileNameOfUrl(url);
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal });
  } catch (e) {
    throw new Error(`${name}: could not download (${(e as Error).message})`);
  }
  if (!response.ok || !response.body) throw new Error(`${name}: expected a file, the server answered ${response.status} ${response.statusText}`);
  const length = Number(response.headers.get('content-length'));
  return loadWorldFromStream(name, response.body, Number.isFinite(length) && length > 0 ? length : undefined, options);
}

export function loadWorldFromFile(file: File, options: LoadOptions = {}): Promise<SplatCloud> {
  return loadWorldFromStream(file.name, file.stream(), file.size, options);
}

export async function loadWorldFromStream(
  name: string,
  stream: ReadableStream<Uint8Array>,
  totalBytes: number | undefined,
  { onProgress, signal }: LoadOptions = {},
): Promise<SplatCloud> {
  const chunks = streamChunks(stream);
  const first = await chunks.next();
  if (first.done) throw new Error(`${name}: expected splat data, found an empty file`);
  // A bundle's frames have nowhere to go from here (only a cloud is returned): say so rather than
  // let the .splat reader call it an unknown file.
  if (startsWith(first.value, 'WSBUNDLE')) throw new Error(`${name}: expected a .ply or .splat here, found a .worldsplat bundle (open it as a file: drop it on the page or use Open)`);
  const all = prepend(first.value, chunks);
  try {
    if (startsWith(first.value, 'ply')) {
      return await readPlyStream(all, { totalBytes, onProgress, signal });
    }
    const bytes = await collect(all, totalBytes, onProgress, signal);
    onProgress?.(1, 'parse');
    return readSplatFile(name, bytes);
  } catch (e) {
    const message = (e as Error).message;
    // Readers name the format ("PLY: ..."); the user also needs to know which file it was.
    throw new Error(message.startsWith(name) ? message : `${name}: ${message}`);
  }
}

export function fileNameOfUrl(url: string): string {
  try {
    const path = new URL(url, 'http://x/').pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value.length > 0) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

async function collect(chunks: AsyncIterable<Uint8Array>, totalBytes: number | undefined, onProgress?: Progress, signal?: AbortSignal): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of chunks) {
    signal?.throwIfAborted();
    parts.push(part);
    size += part.length;
    if (totalBytes) onProgress?.(Math.min(0.99, size / totalBytes), 'download');
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
