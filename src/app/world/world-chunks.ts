/**
 * The world the viewer shows, as the list of chunks it was built from: one SplatCloud per load or
 * append. Chunks are never merged while viewing (a growing world must not re-upload what is
 * already on the GPU); `merged()` concatenates them only for export.
 */
import { SplatCloud } from '../../core/splat-cloud.ts';
import type { ShDegree } from '../../core/sh.ts';

export class WorldChunks {
  private chunks: SplatCloud[] = [];

  get splatCount(): number {
    return this.chunks.reduce((n, c) => n + c.count, 0);
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  replace(cloud: SplatCloud): void {
    this.chunks = [cloud];
  }

  append(cloud: SplatCloud): void {
    this.chunks.push(cloud);
  }

  list(): readonly SplatCloud[] {
    return this.chunks;
  }

  /** Every splat in one cloud, at the highest SH degree any chunk has (others padded with zeros). */
  merged(): SplatCloud {
    const degree = Math.max(0, ...this.chunks.map((c) => c.shDegree)) as ShDegree;
    const out = SplatCloud.create(0, degree);
    for (const c of this.chunks) out.append(c);
    return out;
  }
}
