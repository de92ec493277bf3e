/**
 * What a file handed to the viewer is: a photo to make a world from, or a world to open. Decided by
 * the first bytes (a photo renamed .ply is still a photo), then by the extension for files whose
 * bytes say nothing we know (so a damaged photo gets the photo decoder's error, not the PLY reader's).
 */
import { sniffPhotoFormat } from '../../io/photo/photo.ts';

/** world: splats only (.ply, .splat); bundle: a .worldsplat (splats and the views that made them). */
export type FileKind = 'photo' | 'world' | 'bundle';

export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export function fileKind(name: string, head: Uint8Array): FileKind {
  if (sniffPhotoFormat(head)) return 'photo';
  if (String.fromCharCode(...head.subarray(0, 8)) === 'WSBUNDLE') return 'bundle';
  if (head.length >= 3 && head[0] === 0x70 && head[1] === 0x6c && head[2] === 0x79) return 'world'; // "ply"
  const lower = name.toLowerCase();
  if (lower.endsWith('.worldsplat')) return 'bundle';
  return PHOTO_EXTENSIONS.some((ext) => lower.endsWith(ext)) ? 'photo' : 'world';
}
