import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growStateText } from './grow-indicator.ts';

test('each growth state has its own words, naming the state', () => {
  const states = ['off', 'idle', 'expanding'] as const;
  const texts = states.map(growStateText);
  assert.equal(new Set(texts).size, 3);
  states.forEach((s, i) => assert.match(texts[i], new RegExp(s)));
});
