/**
 * Checking model bytes against their manifest entry: byte size first (cheap, and it names truncation
 * plainly), then SHA-256 with Web Crypto, which browsers and Node 20 both have as globalThis.crypto.
 */
import type { ModelEntry } from './manifest.ts';

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // Web Crypto refuses views of a SharedArrayBuffer; those are copied first.
  const plain = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', plain));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

export type VerifyFailure = 'size' | 'checksum';

export class ModelVerificationError extends Error {
  constructor(
    message: string,
    readonly reason: VerifyFailure,
  ) {
    super(message);
    this.name = 'ModelVerificationError';
  }
}

/** Throws a ModelVerificationError naming what was expected and what was found. */
export async function verifyModelBytes(entry: ModelEntry, bytes: Uint8Array): Promise<void> {
  if (bytes.length !== entry.bytes) {
    throw new ModelVerificationError(`${entry.id}: expected ${entry.bytes} bytes, found ${bytes.length}`, 'size');
  }
  const found = await sha256Hex(bytes);
  if (found !== entry.sha256) {
    throw new ModelVerificationError(`${entry.id}: expected SHA-256 ${entry.sha256}, found ${found}`, 'checksum');
  }
}
