import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorLine } from './errors.ts';
import { decimal, parseVec3, wholeNumber } from './numbers.ts';

test('numbers on the command line are plain decimals: what Number() would also read is refused', () => {
  for (const [text, value] of [['60', 60], ['-1.5', -1.5], ['.5', 0.5], ['-.25', -0.25], ['60.', 60], ['007', 7], ['0', 0]] as const) {
    assert.equal(decimal(text), value, text);
  }
  // Number() reads each of these as a number (16, 10, 3, 60, 0, 1, Infinity); parseFloat reads '60abc'
  for (const text of ['0x10', '1e1', '0b11', ' 60', '', '+1', 'Infinity', '60abc', '1_000', '.', '-', '1.2.3', undefined]) {
    assert.ok(Number.isNaN(decimal(text)), String(text));
  }
  assert.equal(wholeNumber('12'), 12);
  for (const text of ['12.0', '1e1', '0x2', '-1', ' 3', '', '+3']) assert.ok(Number.isNaN(wholeNumber(text)), text);
});

test('vectors take decimals with spaces after the commas, and say what they found in one quoted line', () => {
  assert.deepEqual(parseVec3('-1, 0.5,2', '--eye'), [-1, 0.5, 2]);
  assert.throws(() => parseVec3('0x1,0,0', '--eye'), { message: '--eye: expected three decimal numbers "x,y,z", found "0x1,0,0"' });
  assert.throws(() => parseVec3('1e3,0,0', '--eye'), /found "1e3,0,0"/);
  assert.throws(() => parseVec3('1,,2', '--up'), /found "1,,2"/);
  assert.throws(() => parseVec3('1,2', '--up'), /found "1,2"/);
});

test('an error line keeps its first line, escapes control characters and is cut at 1000 characters', () => {
  assert.equal(errorLine('a\u001b[2Jb\u0000c\u0007\r\nsecond'), 'a\\u001b[2Jb\\u0000c\\u0007');
  assert.equal(errorLine('caf\u00e9 \u00ff'), 'caf\u00e9 \u00ff', 'printable text outside ASCII is kept');
  assert.equal(errorLine('x'.repeat(1500)), `${'x'.repeat(1000)}...`);
});
