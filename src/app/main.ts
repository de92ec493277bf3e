/**
 * Entry point of the browser viewer: picks the first world (?url=… or the built-in sample) and
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
app.start();

async function openFirstWorld(): Promise<void> {
  const url = new URLSearchParams(location.search).get('url');
  if (url && (await app.openUrl(url))) return;
  if (url) return; // the error is on screen; an empty viewer is clearer than a surprise sample
  const sample = makeSampleWorld();
  app.showWorld(sample.cloud, viewFromPose(sample.startPose, app.settings.fovDeg));
}

const ready = openFirstWorld();
installTestHook(app, ready);
