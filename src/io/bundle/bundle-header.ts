/**
 * Parsing and checking a bundle's JSON header: every field present, of its type and range, before a
 * single byte of payload is read. Each failure is one line "bundle: expected ..., found ...".
 */
import type { Intrinsics } from '../../core/camera.ts';
import type { BundleHeader } from './bundle-layout.ts';

/** Far above any real world (a 4K photo lifted per pixel is 8.3M splats); keeps the byte arithmetic exact. */
const MAX_SPLATS = 2 ** 31;
/** Stored pictures are thumbnails; this only bounds the arithmetic and allocation of a corrupt header. */
const MAX_PICTURE_SIDE = 16384;

export function parseBundleHeader(bytes: Uint8Array): BundleHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new Error(`bundle: expected a JSON header, found ${oneLine(String((e as Error).message))}`);
  }
  const top = object(raw, 'header');
  const splatsRaw = object(top.splats, 'header.splats');
  const splats = { count: integer(splatsRaw.count, 'splats.count', 0, MAX_SPLATS), shDegree: integer(splatsRaw.shDegree, 'splats.shDegree', 0, 3) };
  if (!Array.isArray(top.frames)) throw new Error(`bundle: expected header.frames to be an array, found ${describe(top.frames)}`);
  let lastId = -1;
  const frames = top.frames.map((value: unknown, index: number) => {
    const at = `frames[${index}]`;
    const f = object(value, at);
    const id = integer(f.id, `${at}.id`, 0, Number.MAX_SAFE_INTEGER);
    if (id <= lastId) throw new Error(`bundle: expected ${at}.id above ${lastId} (ids grow), found ${id}`);
    lastId = id;
    const position = numbers(f.position, `${at}.position`, 3);
    const rotation = numbers(f.rotation, `${at}.rotation`, 4);
    if (!(Math.hypot(...rotation) > 1e-6)) throw new Error(`bundle: expected ${at}.rotation to be a non-zero quaternion, found (${rotation.join(', ')})`);
    const splatStart = integer(f.splatStart, `${at}.splatStart`, 0, splats.count);
    const splatCount = integer(f.splatCount, `${at}.splatCount`, 0, splats.count - splatStart);
    if (!(f.prompt === null || typeof f.prompt === 'string')) throw new Error(`bundle: expected ${at}.prompt to be a string or null, found ${describe(f.prompt)}`);
    return {
      id,
      position,
      rotation,
      intrinsics: intrinsics(f.intrinsics, `${at}.intrinsics`),
      width: integer(f.width, `${at}.width`, 1, MAX_PICTURE_SIDE),
      height: integer(f.height, `${at}.height`, 1, MAX_PICTURE_SIDE),
      splatStart,
      splatCount,
      prompt: f.prompt as string | null,
      timestamp: finite(f.timestamp, `${at}.timestamp`),
    };
  });
  return { splats, frames };
}

function intrinsics(value: unknown, at: string): Intrinsics {
  const k = object(value, at);
  const fx = finite(k.fx, `${at}.fx`), fy = finite(k.fy, `${at}.fy`);
  if (!(fx > 0 && fy > 0)) throw new Error(`bundle: expected positive focal lengths in ${at}, found fx ${fx}, fy ${fy}`);
  return {
    width: integer(k.width, `${at}.width`, 1, Number.MAX_SAFE_INTEGER),
    height: integer(k.height, `${at}.height`, 1, Number.MAX_SAFE_INTEGER),
    fx,
    fy,
    cx: finite(k.cx, `${at}.cx`),
    cy: finite(k.cy, `${at}.cy`),
  };
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`bundle: expected ${at} to be an object, found ${describe(value)}`);
  return value as Record<string, unknown>;
}

function finite(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`bundle: expected ${at} to be a finite number, found ${describe(value)}`);
  return value;
}

function integer(value: unknown, at: string, min: number, max: number): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    throw new Error(`bundle: expected ${at} to be an integer in ${min}..${max}, found ${describe(value)}`);
  }
  return value;
}

function numbers(value: unknown, at: string, length: number): number[] {
  if (!(Array.isArray(value) && value.length === length && value.every((v) => typeof v === 'number' && Number.isFinite(v)))) {
    throw new Error(`bundle: expected ${at} to be ${length} finite numbers, found ${describe(value)}`);
  }
  return value as number[];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return oneLine(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ');
