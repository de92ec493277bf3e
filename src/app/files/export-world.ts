/**
 * The shown world as a file the user downloads: INRIA .ply (what Blender add-ons, SuperSplat and
 * every 3DGS tool read) or antimatter15 .splat, both written by src/io; and PNG screenshots.
 */
import type { SplatCloud } from '../../core/splat-cloud.ts';
import { writeSplatFile } from '../../io/formats.ts';

export type ExportFormat = 'ply' | 'splat';

export function exportWorld(cloud: SplatCloud, format: ExportFormat, baseName = 'world'): { name: string; blob: Blob } {
  const name = `${baseName}.${format}`;
  const bytes = writeSplatFile(name, cloud);
  return { name, blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }) };
}

/** Hands a blob to the browser as a download (an <a download> click: no server involved). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
