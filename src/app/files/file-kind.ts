/**
 * What a file handed to the viewer is: a photo to make a world from, or a world to open. Decided by
 * the first bytes (a photo renamed .ply is still a photo), then by the extension for files whose
 * bytes say nothing we know (so a damaged photo gets the photo decoder's error, not the PLY reader's).
 */
import { sniffPhotoFormat } from '../../io/photo/photo.ts';

export type FileKind = 'photo' | 'world';

export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export function fileKind(name: string, head: Uint8Array): FileKind {
  if (sniffPhotoFormat(head)) return 'photo';
  if (head.length >= 3 && head[0] === 0x70 && head[1] === 0x6c && head[2] === 0x79) return 'world'; // "ply"
  const lower = name.toLowerCase();
  return PHOTO_EXTENSIONS.some((ext) => lower.endsWith(ext)) ? 'photo' : 'world';
}
