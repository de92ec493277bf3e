/**
 * The baseline for bench/viewer.bench.ts: Spark's own minimal example (three.js scene, SparkRenderer,
 * one SplatMesh) with nothing of ours in the frame loop. Splats are built from arrays with Spark's
 * own encoder, the same random cloud the app is given.
 * ?settings=ours uses the splat encoding and image-formation settings of our adapter, so the
 * comparison can separate app overhead from the cost of those choices.
 * ?loop=demand draws only when the camera moved or Spark reported a finished sort (onDirty), the
 * render policy our app has; otherwise it draws every animation frame, as Spark's example does.
 * The page offers the same small surface (window.__bench) the benchmark builds over the app's hook,
 * so one measuring routine drives both.
 */
import { ExtSplats, PackedSplats, SparkRenderer, SplatMesh, utils } from '@sparkjsdev/spark';
import * as THREE from 'three';
import { benchCloud } from '../src/app/test-hook.ts';

const params = new URLSearchParams(location.search);
const ours = params.get('settings') === 'ours';
const onDemand = params.get('loop') === 'demand';
let needsRender = true;
let rendering = false;
const renderer = new THREE.WebGLRenderer({ antialias: false });
renderer.setPixelRatio(1);
renderer.setSize(innerWidth, innerHeight, false);
document.body.append(renderer.domElement);
const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(60, innerWidth / innerHeight, 0.02, 5000);
const spark = new SparkRenderer(
  ours
    ? { renderer, preBlurAmount: 0.3, blurAmount: 0, maxStdDev: 3, minAlpha: 1 / 255, sortRadial: false, accumExtSplats: true, onDirty }
    : { renderer, onDirty },
);
/** As in our adapter: a report from inside render() (that render started a sort) needs no new frame. */
function onDirty(): void {
  if (!rendering) needsRender = true;
}
function render(): void {
  rendering = true;
  try {
    renderer.render(scene, camera);
  } finally {
    rendering = false;
  }
}
scene.add(spark);
let mesh: SplatMesh | null = null;
let angle = 0;
const frameListeners = new Set<() => void>();

/** The same orbit the benchmark drives the app along: radius 6 around the origin, 1 m up. */
function placeCamera(): void {
  camera.position.set(6 * Math.sin(angle), 1, 6 * Math.cos(angle));
  camera.lookAt(0, 0, 0);
  needsRender = true;
}
placeCamera();

renderer.setAnimationLoop(() => {
  if (onDemand && !needsRender) return;
  needsRender = false;
  render();
  frameListeners.forEach((cb) => cb()); // after render, as the app reports its frames
});

(window as unknown as { __bench: unknown }).__bench = {
  showRandom(count: number, seed: number, extent: number, sizeFactor = 1) {
    const cloud = benchCloud(count, seed, extent, sizeFactor);
    const t0 = performance.now();
    const { positions: p, scales: s, rotations: q, opacities: a, colors: c } = cloud;
    const capacity = utils.computeMaxSplats(count);
    if (mesh) {
      scene.remove(mesh);
      mesh.dispose();
    }
    if (ours) {
      // The extended 32-byte encoding our adapter uses, so only app overhead differs.
      const extArrays: [Uint32Array, Uint32Array] = [new Uint32Array(capacity * 4), new Uint32Array(capacity * 4)];
      for (let i = 0; i < count; i++) {
        utils.encodeExtSplat(extArrays, i, p[3 * i], p[3 * i + 1], p[3 * i + 2], s[3 * i], s[3 * i + 1], s[3 * i + 2],
          q[4 * i + 1], q[4 * i + 2], q[4 * i + 3], q[4 * i], a[i], c[3 * i], c[3 * i + 1], c[3 * i + 2]);
      }
      mesh = new SplatMesh({ extSplats: new ExtSplats({ extArrays, numSplats: count }) });
    } else {
      const packedArray = new Uint32Array(capacity * 4);
      for (let i = 0; i < count; i++) {
        utils.setPackedSplat(packedArray, i, p[3 * i], p[3 * i + 1], p[3 * i + 2], s[3 * i], s[3 * i + 1], s[3 * i + 2],
          q[4 * i + 1], q[4 * i + 2], q[4 * i + 3], q[4 * i], a[i], c[3 * i], c[3 * i + 1], c[3 * i + 2]);
      }
      mesh = new SplatMesh({ packedSplats: new PackedSplats({ packedArray, numSplats: count }) });
    }
    scene.add(mesh);
    needsRender = true;
    return { handOverMs: performance.now() - t0 };
  },
  shownSplatCount: () => spark.display.numSplats,
  busy: () => spark.sorting || spark.sortDirty,
  canvas: renderer.domElement,
  /** The orbit the benchmark drives both pages along: radius 6 around the origin, 1 m up. */
  setAngle(a: number) {
    angle = a;
    placeCamera();
  },
  onFrame(callback: () => void) {
    frameListeners.add(callback);
    return () => frameListeners.delete(callback);
  },
  requestRender: () => (needsRender = true),
  renderNow: () => render(),
};
