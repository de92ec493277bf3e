/**
 * View sets: posed pictures of one scene with their exact depth, as written by
 * training/scenes/export_views.py (the format is described at the top of that file). They are the
 * held-out ground truth of the benchmarks and of the expansion work: a picture to generate from, and
 * true pictures and depth at other poses to compare with.
 *
 * The poses in views.json are already in the program's convention (src/core/camera.ts): `rotation` is
 * the world-from-camera quaternion (w, x, y, z), exactly what `Pose` takes, so nothing is converted
 * here. view-set.test.ts proves it by reprojecting one view's depth into another.
 *
 * Pure: the caller reads files and decodes PNGs (in Node, e.g.
 *   openViewSet({ read: (n) => readFile(join(dir, n)), decodePng })   with decodePng from src/io/png.ts).
 */
import { type Intrinsics, Pose, intrinsicsFromFov } from '../../core/camera.ts';
import type { FloatField, RgbImage } from '../../core/image.ts';
import type { Quat } from '../../core/quat.ts';
import type { Vec3 } from '../../core/vec3.ts';

/** What a PNG decoder gives (the shape of src/io/png.ts's DecodedImage). */
export interface DecodedPicture {
  width: number;
  height: number;
  channels: number;
  depth: number;
  data: Uint8Array | Uint16Array;
}

export interface ViewSetSource {
  /** the bytes of one file of the scene's folder, by name: views.json, start.png, start.depth.f32, ... */
  read(name: string): Promise<Uint8Array>;
  decodePng(bytes: Uint8Array): DecodedPicture;
}

export interface ViewSpec {
  name: string;
  width: number;
  height: number;
  verticalFovDegrees: number;
  pose: Pose;
  intrinsics: Intrinsics;
}

export interface ViewData {
  spec: ViewSpec;
  /** the picture, 8-bit sRGB */
  image: RgbImage;
  /** metres along the view axis at every pixel of the picture; 0 where the pixel sees sky */
  depth: FloatField;
}

export interface ViewSetHeader {
  scene: string;
  kind: string;
  seed?: number;
  views: ViewSpec[];
}

export class ViewSet {
  readonly scene: string;
  readonly kind: string;
  readonly seed?: number;
  readonly views: readonly ViewSpec[];
  private readonly source: ViewSetSource;

  constructor(header: ViewSetHeader, source: ViewSetSource) {
    this.scene = header.scene;
    this.kind = header.kind;
    this.seed = header.seed;
    this.views = header.views;
    this.source = source;
  }

  view(name: string): ViewSpec {
    const spec = this.views.find((v) => v.name === name);
    if (!spec) throw new Error(`view set ${this.scene}: expected a view named ${name}, found ${this.views.map((v) => v.name).join(', ')}`);
    return spec;
  }

  /** The picture and depth of one view, checked against the size views.json gives. */
  async load(name: string): Promise<ViewData> {
    const spec = this.view(name);
    const [png, raw] = await Promise.all([this.source.read(`${name}.png`), this.source.read(`${name}.depth.f32`)]);
    const image = rgbFromPicture(this.source.decodePng(png), `${name}.png`);
    if (image.width !== spec.width || image.height !== spec.height) {
      throw new Error(`${name}.png: expected ${spec.width}x${spec.height} as views.json says, found ${image.width}x${image.height}`);
    }
    return { spec, image, depth: parseDepthF32(raw, spec.width, spec.height, `${name}.depth.f32`) };
  }
}

export async function openViewSet(source: ViewSetSource): Promise<ViewSet> {
  const text = new TextDecoder().decode(await source.read('views.json'));
  return new ViewSet(parseViewsJson(text), source);
}

/** views.json -> header with ready Poses and intrinsics; any malformed field gets one line. */
export function parseViewsJson(text: string): ViewSetHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`views.json: expected JSON, found ${(error as Error).message}`);
  }
  const root = object(json, 'views.json');
  const scene = string(root.scene, 'views.json scene');
  const kind = string(root.kind, 'views.json kind');
  const seed = root.seed === undefined ? undefined : number(root.seed, 'views.json seed');
  if (!Array.isArray(root.views) || root.views.length === 0) {
    throw new Error(`views.json views: expected a non-empty array, found ${describe(root.views)}`);
  }
  const names = new Set<string>();
  const views = root.views.map((entry: unknown, i: number) => {
    const v = object(entry, `views.json views[${i}]`);
    const name = string(v.name, `views.json views[${i}].name`);
    if (!/^[A-Za-z0-9_-]+$/.test(name) || names.has(name)) {
      throw new Error(`views.json views[${i}].name: expected a new name of letters, digits, - and _, found ${JSON.stringify(name)}`);
    }
    names.add(name);
    const at = `views.json view ${name}`;
    const width = number(v.width, `${at} width`);
    const height = number(v.height, `${at} height`);
    const fov = number(v.verticalFovDegrees, `${at} verticalFovDegrees`);
    const pose = object(v.pose, `${at} pose`);
    const position = numbers(pose.position, 3, `${at} pose.position`) as Vec3;
    const rotation = numbers(pose.rotation, 4, `${at} pose.rotation`) as Quat;
    const norm = Math.hypot(...rotation);
    if (Math.abs(norm - 1) > 1e-3) throw new Error(`${at} pose.rotation: expected a unit quaternion (w, x, y, z), found length ${norm}`);
    let intrinsics: Intrinsics;
    try {
      intrinsics = intrinsicsFromFov(width, height, fov);
    } catch (error) {
      throw new Error(`${at}: ${(error as Error).message}`);
    }
    return { name, width, height, verticalFovDegrees: fov, pose: new Pose(position, rotation), intrinsics };
  });
  return { scene, kind, seed, views };
}

/** float32 little-endian depth, width*height values, finite and >= 0 (0 = sky). */
export function parseDepthF32(bytes: Uint8Array, width: number, height: number, what: string): FloatField {
  const n = width * height;
  if (bytes.byteLength !== n * 4) throw new Error(`${what}: expected ${n * 4} bytes (${width}x${height} float32), found ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const d = view.getFloat32(i * 4, true);
    if (!(d >= 0 && Number.isFinite(d))) throw new Error(`${what}: expected finite depths >= 0, found ${d} at pixel ${i % width},${Math.floor(i / width)}`);
    data[i] = d;
  }
  return { width, height, data };
}

/** An 8-bit grey, grey+alpha, RGB or RGBA picture as RGB (alpha dropped: the exports are opaque). */
export function rgbFromPicture(p: DecodedPicture, what: string): RgbImage {
  if (p.depth !== 8 || p.channels < 1 || p.channels > 4) {
    throw new Error(`${what}: expected an 8-bit grey, RGB or RGBA PNG, found ${p.channels} channels of ${p.depth} bits`);
  }
  const n = p.width * p.height;
  const data = new Uint8Array(n * 3);
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) data[i * 3 + k] = p.data[i * c + (c >= 3 ? k : 0)];
  }
  return { width: p.width, height: p.height, data };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what}: expected an object, found ${describe(v)}`);
  return v as Record<string, unknown>;
}

function string(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new Error(`${what}: expected a non-empty string, found ${describe(v)}`);
  return v;
}

function number(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what}: expected a finite number, found ${describe(v)}`);
  return v;
}

function numbers(v: unknown, count: number, what: string): number[] {
  if (!Array.isArray(v) || v.length !== count || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new Error(`${what}: expected ${count} finite numbers, found ${describe(v)}`);
  }
  return v as number[];
}
