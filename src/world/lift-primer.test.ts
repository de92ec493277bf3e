/**
 * The primer lift (lift-primer.ts) is only worth its milliseconds if its tiny photo takes the
 * branches the real lifts take late: sky on the far shell, splats beside depth steps (the narrow
 * edge sigma), and pixels two or more away from every border (W's interior rows), with the colour
 * steps run. Checked on the lift of its own input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liftToSplats } from './lift.ts';
import { primeLift, primerInput } from './lift-primer.ts';

test('the primer photo has sky, depth steps and interior pixels, and its colour steps move colours', () => {
  const input = primerInput();
  assert.ok(input.image.width >= 5 && input.image.height >= 5, 'no pixel 2 away from every border');
  const plain = liftToSplats(input);
  const stepped = liftToSplats(input, { colourIterations: 3 });
  let sky = 0, narrow = 0, wide = 0, moved = 0;
  for (let i = 0; i < plain.count; i++) {
    const [x, y, z] = [plain.positions[3 * i], plain.positions[3 * i + 1], plain.positions[3 * i + 2]];
    if (Math.hypot(x, y, z) > 150) sky++;
    // The smaller in-plane std (the middle of the three scales) in pixels at the splat's depth:
    // 0.35 beside a depth step, 0.65 or more elsewhere (lift.ts).
    const [, middle] = [plain.scales[3 * i], plain.scales[3 * i + 1], plain.scales[3 * i + 2]].sort((a, b) => a - b);
    const pixels = middle / (-z / input.intrinsics.fy);
    if (pixels < 0.5) narrow++;
    else wide++;
    for (let c = 0; c < 3; c++) moved = Math.max(moved, Math.abs(stepped.colors[3 * i + c] - plain.colors[3 * i + c]));
  }
  assert.ok(sky > 0, 'no sky splats');
  assert.ok(narrow > 0 && wide > 0, `splat widths: ${narrow} narrow (beside a depth step), ${wide} wide`);
  assert.ok(moved > 0.01, `the colour steps moved no colour (${moved})`);
  primeLift(3); // runs without throwing (once per process)
});
