/**
 * Downloading a model file with progress, through an injected fetch (the browser's, Node's, or a test's).
 * The bytes are verified before they are returned: a caller never holds unverified model bytes.
 */
import type { RemoteModelEntry } from './manifest.ts';
import { ModelVerificationError, verifyModelBytes } from './verify.ts';

/** The part of fetch we use; the global fetch fits. */
export type FetchFn = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export type DownloadFailure = 'network' | 'http' | 'size' | 'checksum';

export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly reason: DownloadFailure,
  ) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

export interface DownloadOptions {
  fetch: FetchFn;
  signal?: AbortSignal;
  /** Fraction of the manifest's byte size received so far; called at most every 1% and at the end. */
  onProgress?: (fraction: number, stage: string) => void;
}

/** Fetches, checks size and SHA-256, returns the bytes. Aborting rethrows the abort reason unchanged. */
export async function downloadModel(entry: RemoteModelEntry, options: DownloadOptions): Promise<Uint8Array> {
  const { signal, onProgress } = options;
  const stage = `download ${entry.id}`;
  let response: Response;
  try {
    response = await options.fetch(entry.url, { signal });
  } catch (error) {
    signal?.throwIfAborted();
    throw new ModelDownloadError(`${entry.id}: download failed (offline?): ${describeError(error)}`, 'network');
  }
  if (!response.ok) {
    throw new ModelDownloadError(`${entry.id}: download failed: HTTP ${response.status} ${response.statusText}`.trimEnd(), 'http');
  }

  let bytes: Uint8Array;
  try {
    bytes = await readBody(response, entry, (received) => onProgress?.(received / entry.bytes, stage));
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(`${entry.id}: download failed while receiving (connection lost?): ${describeError(error)}`, 'network');
  }
  try {
    await verifyModelBytes(entry, bytes);
  } catch (error) {
    if (!(error instanceof ModelVerificationError)) throw error;
    throw new ModelDownloadError(`${error.message} in the download`, error.reason);
  }
  onProgress?.(1, stage);
  return bytes;
}

/**
 * Reads the body into one buffer of the manifest's size (a 100 MB model should not be held twice), and
 * stops as soon as the server sends more than that.
 */
async function readBody(response: Response, entry: RemoteModelEntry, progress: (received: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const buffer = new Uint8Array(entry.bytes);
  const reader = response.body.getReader();
  let received = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (received + value.length > entry.bytes) {
      await reader.cancel();
      throw new ModelDownloadError(`${entry.id}: expected ${entry.bytes} bytes, found more in the download`, 'size');
    }
    buffer.set(value, received);
    received += value.length;
    if (received - reported >= entry.bytes / 100) {
      reported = received;
      progress(received);
    }
  }
  return received === entry.bytes ? buffer : buffer.subarray(0, received);
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed" and puts the reason (ENOTFOUND, ECONNREFUSED) in `cause`.
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
