import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PROMPT_CHARS, parsePrompt } from './parse-prompt.ts';

test('words it does not know are reported once each, glue words are not', () => {
  const spec = parsePrompt('a gothic cathedral with the stained glass, at dusk, a cathedral');
  assert.deepEqual(spec.ignored, ['gothic', 'cathedral', 'stained']);
  assert.equal(spec.time, 'dusk');
  assert.deepEqual(parsePrompt('a forest with a lake at the top of the hills').ignored, []);
});

test('counts, colours, materials and sizes go to the noun that follows them', () => {
  const spec = parsePrompt('three red boxes and a tall stone tower, 12 rocks, a few wooden chairs');
  const find = (kind: string) => spec.objects.find((o) => o.kind === kind)!;
  assert.equal(find('box').count, 3);
  assert.equal(find('box').colourName, 'red');
  assert.equal(find('tower').count, 1);
  assert.equal(find('tower').size, 'tall');
  assert.equal(find('tower').material, 'stone');
  assert.equal(find('rock').count, 12);
  assert.equal(find('chair').count, 3);
  assert.equal(find('chair').material, 'wood');
});

test('a plural without a number leaves the count to the setting; species name trees', () => {
  const spec = parsePrompt('a snowy pine forest at dusk');
  assert.equal(spec.setting, 'forest');
  assert.equal(spec.snow, true);
  assert.equal(spec.time, 'dusk');
  assert.deepEqual(spec.objects.map((o) => [o.kind, o.count]), [['pine', null]]);
  assert.deepEqual(parsePrompt('pine trees').objects.map((o) => [o.kind, o.count]), [['pine', null]]);
  assert.deepEqual(parsePrompt('an oak tree').objects.map((o) => [o.kind, o.count]), [['tree', 1]]);
});

test('settings, weather and hints', () => {
  assert.equal(parsePrompt('a cosy library with tall shelves').setting, 'library');
  assert.equal(parsePrompt('a cosy library with tall shelves').cosy, true);
  assert.equal(parsePrompt('a living room').setting, 'livingroom');
  assert.equal(parsePrompt('a foggy beach').weather, 'fog');
  assert.equal(parsePrompt('a snowy night').setting, 'snowfield');
  assert.equal(parsePrompt('a table and two chairs').setting, 'room'); // only indoor things: indoors
  assert.equal(parsePrompt('a red sphere').setting, 'field');
  assert.equal(parsePrompt('a red sphere').settingDefaulted, true);
  assert.deepEqual(parsePrompt('a brick city').settingMaterial, 'brick');
});

test('an empty or whitespace prompt is refused in one line', () => {
  for (const p of ['', '   \n\t ']) {
    assert.throws(() => parsePrompt(p), (e: Error) => e.message === 'prompt: expected some words describing a world, found an empty prompt');
  }
});

test('a 10,000-character prompt is refused with the limit stated', () => {
  const long = 'a forest '.repeat(1112).slice(0, 10000);
  assert.equal(long.length, 10000);
  assert.throws(() => parsePrompt(long), (e: Error) => e.message === `prompt: expected at most ${MAX_PROMPT_CHARS} characters, found 10000` && !e.message.includes('\n'));
  assert.doesNotThrow(() => parsePrompt(long.slice(0, MAX_PROMPT_CHARS)));
});

test('absurd counts are refused', () => {
  assert.throws(() => parsePrompt('5000 trees'), /expected at most 200 of one thing, found 5000 trees/);
});
