/**
 * Entry point of the browser viewer: picks the first world (see openFirstWorld) and
 * starts the app. All behaviour lives in viewer-app.ts; this file only wires it to the page.
 */
import './viewer.css';
import { viewFromPose } from './camera/view-state.ts';
import { SparkAdapter } from './renderer/spark-adapter.ts';
import { makeSampleWorld } from './sample/sample-world.ts';
import { installTestHook } from './test-hook.ts';
import { ViewerApp } from './viewer-app.ts';

const container = document.getElementById('viewer')!;
const canvas = document.createElement('canvas');
container.append(canvas);
const app = new ViewerApp(container, new SparkAdapter(canvas));
const params = new URLSearchParams(location.search);
// A first world from a photo: the worker opens the depth model while the renderer starts and the photo
// loads (about 0.5 s sooner than when the photo arrives; README, "In the browser").
if (!params.get('url') && params.get('sample') !== 'none' && params.get('sample') !== 'procedural') app.openModelEarly();
app.start();

/**
 * The first world, chosen by the page's query:
 *   ?url=<world file>   opens that .ply/.splat
 *   ?photo=<image URL>  makes a world from that photo
 *   ?sample=procedural  the procedural sample world (no model needed)
 *   ?sample=none        starts empty (tests and benchmarks that bring their own world)
 * and otherwise makes a world from the sample photo shipped in public/ (see public/SAMPLE-PHOTO.md).
 * If that generation fails, its one-line error stays on screen over the procedural sample world.
 */
async function openFirstWorld(): Promise<void> {
  const url = params.get('url');
  if (url) {
    await app.openUrl(url); // on failure the error is on screen; an empty viewer is clearer than a surprise sample
    return;
  }
  const sample = params.get('sample');
  if (sample === 'none') return;
  if (sample !== 'procedural' && (await app.openPhotoUrl(params.get('photo') ?? `${import.meta.env.BASE_URL}sample-photo.jpg`))) return;
  const procedural = makeSampleWorld();
  app.showWorld(procedural.cloud, viewFromPose(procedural.startPose, app.settings.fovDeg));
}

const ready = openFirstWorld();
installTestHook(app, ready);
