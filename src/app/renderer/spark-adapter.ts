/**
 * The SplatRenderer on top of three.js + Spark (@sparkjsdev/spark). Everything Spark-specific lives
 * in this file and spark-packing.ts. Each appended chunk becomes its own SplatMesh, so growing the
 * world uploads only the new splats; Spark sorts all meshes together every frame.
 *
 * Conventions that had to be matched (checked against the CPU reference renderer in the e2e tests):
 * - Pose → three.js camera needs no conversion: both have the camera looking down -Z, +Y up, and
 *   PerspectiveCamera.fov is the vertical field of view in degrees.
 * - Colours: Spark writes splat colours to an sRGB canvas unchanged (it only converts when the
 *   output is linear), i.e. it blends display values exactly like the 3DGS reference rasterizer.
 *   The background must then also be a display value, so it is set as an sRGB colour.
 * - Blending is premultiplied front-to-back equivalent ("over"), the same as the reference's
 *   C = sum(c_i a_i T_i) + T_end * background, on an opaque canvas.
 */
import { ExtSplats, SparkRenderer, SplatMesh, dyno } from '@sparkjsdev/spark';
import * as THREE from 'three';
import type { Pose } from '../../core/camera.ts';
import type { SplatCloud } from '../../core/splat-cloud.ts';
import type { Rgb, SplatRenderer } from './splat-renderer.ts';
import { packForSpark } from './spark-packing.ts';

export interface SparkAdapterOptions {
  /** Near/far clip planes in metres. Splats do not write depth, so the ratio costs no precision. */
  near?: number;
  far?: number;
}

export class SparkAdapter implements SplatRenderer {
  readonly canvas: HTMLCanvasElement;
  private readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera: THREE.PerspectiveCamera;
  private readonly spark: SparkRenderer;
  private readonly chunks: SplatMesh[] = [];
  private readonly splatScale = dyno.dynoFloat(1);
  private shDegree = 3;
  private needsRenderCallbacks: Array<() => void> = [];
  private rendering = false;

  constructor(canvas: HTMLCanvasElement, options: SparkAdapterOptions = {}) {
    this.canvas = canvas;
    // antialias off: Spark's advice (MSAA does nothing for splats and costs fill rate).
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: false });
    this.camera = new THREE.PerspectiveCamera(60, 1, options.near ?? 0.02, options.far ?? 5000);
    this.spark = new SparkRenderer({
      renderer: this.renderer,
      // Spark also reports "dirty" from inside render() when that very render started a sort; only
      // later reports (a sort finished) mean another frame would look different.
      onDirty: () => {
        if (!this.rendering) this.needsRenderCallbacks.forEach((cb) => cb());
      },
      // Image formation as in 3DGS (and our CPU reference, src/render/rasterizer.ts), which is what
      // INRIA-trained and our generated worlds expect: 0.3 px² low-pass added to every projected
      // covariance without opacity compensation, footprints to 3 sigma, splats under 1/255 dropped,
      // and sorting by depth along the view axis rather than Spark's default radial distance.
      preBlurAmount: 0.3,
      blurAmount: 0,
      maxStdDev: 3,
      minAlpha: 1 / 255,
      sortRadial: false,
      // Keep the per-frame splat buffer in the extended encoding too: the packed one clamps colour
      // to 0..1 per splat (3DGS clamps only the final pixel) and steps scales by 8%.
      accumExtSplats: true,
    });
    this.scene.add(this.spark);
    this.setBackground([0, 0, 0]);
  }

  addChunk(cloud: SplatCloud): void {
    if (cloud.count === 0) return;
    const packed = packForSpark(cloud);
    const extSplats = new ExtSplats({ extArrays: packed.extArrays, numSplats: packed.numSplats, extra: packed.extra });
    const mesh = new SplatMesh({ extSplats, objectModifier: this.scaleModifier() });
    mesh.maxSh = this.shDegree;
    this.scene.add(mesh);
    this.chunks.push(mesh);
  }

  clearChunks(): void {
    for (const mesh of this.chunks) {
      this.scene.remove(mesh);
      mesh.dispose();
    }
    this.chunks.length = 0;
  }

  splatCount(): number {
    return this.chunks.reduce((n, mesh) => n + (mesh.extSplats?.numSplats ?? 0), 0);
  }

  shownSplatCount(): number {
    return this.spark.display.numSplats;
  }

  setView(pose: Pose, fovDeg: number): void {
    const [w, x, y, z] = pose.rotation;
    this.camera.position.set(...pose.position);
    this.camera.quaternion.set(x, y, z, w);
    if (this.camera.fov !== fovDeg) {
      this.camera.fov = fovDeg;
      this.camera.updateProjectionMatrix();
    }
    this.camera.updateMatrixWorld();
  }

  setBackground(rgb: Rgb): void {
    this.scene.background = new THREE.Color().setRGB(rgb[0], rgb[1], rgb[2], THREE.SRGBColorSpace);
  }

  setSplatScale(scale: number): void {
    this.splatScale.value = scale;
    // The modifier runs when Spark regenerates its accumulator, which it does only for a new view
    // or a new generator version.
    for (const mesh of this.chunks) mesh.updateVersion();
  }

  setShDegree(degree: number): void {
    this.shDegree = degree;
    for (const mesh of this.chunks) {
      mesh.maxSh = degree;
      mesh.updateVersion();
    }
  }

  resize(width: number, height: number, pixelRatio: number): void {
    this.renderer.setPixelRatio(pixelRatio);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
  }

  render(): void {
    this.rendering = true;
    try {
      this.renderer.render(this.scene, this.camera);
    } finally {
      this.rendering = false;
    }
  }

  busy(): boolean {
    // sortDirty: a newer view is waiting for the sort in flight to finish.
    return this.spark.sorting || this.spark.sortDirty || this.spark.dirty;
  }

  onNeedsRender(callback: () => void): void {
    this.needsRenderCallbacks.push(callback);
  }

  capturePng(): Promise<Blob> {
    // Without preserveDrawingBuffer the canvas is only readable in the task that drew it.
    this.render();
    return new Promise((resolve, reject) =>
      this.canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('screenshot: the canvas produced no PNG'))), 'image/png'),
    );
  }

  dispose(): void {
    this.clearChunks();
    this.spark.dispose();
    this.renderer.dispose();
  }

  /** Multiplies each splat's scales by the shared splat-scale uniform. */
  private scaleModifier() {
    return dyno.dynoBlock({ gsplat: dyno.Gsplat }, { gsplat: dyno.Gsplat }, ({ gsplat }) => {
      const { scales } = dyno.splitGsplat(gsplat!).outputs;
      return { gsplat: dyno.combineGsplat({ gsplat, scales: dyno.mul(scales, this.splatScale) }) };
    });
  }
}
