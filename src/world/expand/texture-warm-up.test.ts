/**
 * The textured fill's warm-up (texture-warm-up.ts): its view takes the paths a turned photo world's view
 * takes, and warming up changes no later fill.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPartialView } from './completer.ts';
import { InpaintCompleter } from './inpaint-completer.ts';
import { texturedInpainter } from './mirror-detail.ts';
import { texturePrepared } from './texture-synthesis.ts';
import { textureWarmUpView, warmUpTexturedFill } from './texture-warm-up.ts';

test('the warm-up view is a valid partial view with sky and surface on both sides of a hole, a row guide and a texture source of all three kinds', () => {
  const v = textureWarmUpView();
  checkPartialView(v);
  const kinds = { knownSky: 0, knownSurface: 0, hole: 0 };
  for (let i = 0; i < v.width * v.height; i++) {
    if (v.mask[i]) kinds.hole++;
    else if (v.depth[i] > 0) kinds.knownSurface++;
    else kinds.knownSky++;
  }
  assert.ok(kinds.knownSky > 0 && kinds.knownSurface > 0, JSON.stringify(kinds));
  assert.ok(Math.abs(kinds.hole / (v.width * v.height) - 0.45) < 0.03, `hole share ${kinds.hole / (v.width * v.height)}`);
  assert.ok(v.rowGuide && v.texture);
  for (const kind of [0, 1, 2]) assert.ok(v.texture.kind.includes(kind), `texture kind ${kind} missing`);
});

test('a fill after the warm-up is, bit for bit, the fill of a completer that was not warmed up', async () => {
  // Two equal views in separate arrays (the texture synthesis caches per texture-source array).
  const plain = await texturedInpainter().complete(textureWarmUpView(128, 96));
  const warmed = texturedInpainter();
  await warmUpTexturedFill(warmed);
  const after = await warmed.complete(textureWarmUpView(128, 96));
  assert.deepEqual(after.rgb, plain.rgb);
  assert.deepEqual(after.depth, plain.depth);
  // The fill did copy texture into the hole (otherwise the equality above says little): it differs from the inpainter's smooth fill.
  const v = textureWarmUpView(128, 96), smooth = await new InpaintCompleter().complete(v);
  let textured = 0, hole = 0;
  for (let i = 0; i < v.width * v.height; i++) if (v.mask[i]) { hole++; if (Math.abs(after.rgb[3 * i] - smooth.rgb[3 * i]) > 0.01) textured++; }
  assert.ok(textured > hole / 4, `${textured} of ${hole} hole pixels textured`);
});

test('with the texture source handed over, the warm-up splits it for fills of that size, and the fill is the one without', async () => {
  const plain = await texturedInpainter().complete(textureWarmUpView(128, 96));
  const view = textureWarmUpView(128, 96), texture = view.texture!;
  const warmed = texturedInpainter();
  assert.equal(texturePrepared(texture, 128, 96), false);
  await warmUpTexturedFill(warmed, { source: texture, width: 128, height: 96 });
  assert.equal(texturePrepared(texture, 128, 96), true);
  assert.equal(texturePrepared(texture, 256, 192), false); // another size is split with other settings
  const after = await warmed.complete(view);
  assert.deepEqual(after.rgb, plain.rgb);
});
