/**
 * The CLIP tokenizer on the small vocab.json / merges.txt of fixtures/text-to-image (same format as the
 * real tables). The expected ids were worked out by hand from those two tables, as comments show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ClipTokenizer, cleanText, splitPieces, toByteChars } from './clip-tokenizer.ts';

const DIR = fileURLToPath(new URL('../fixtures/text-to-image/', import.meta.url));
const vocab = readFileSync(join(DIR, 'vocab.json'), 'utf8');
const merges = readFileSync(join(DIR, 'merges.txt'), 'utf8');
const SPEC = { length: 77, bos: 49406, eos: 49407, pad: 0 };
const tokenizer = new ClipTokenizer(vocab, merges, SPEC);

const BOS = 49406;
const EOS = 49407;

function padded(ids: number[]): number[] {
  return [...ids, ...new Array(77 - ids.length).fill(0)];
}

test('clean-up: NFC, one space between words, trimmed, lower case', () => {
  assert.equal(cleanText('  A \t Red\n\nCAT  '), 'a red cat');
  // 'e' + combining acute (two code points) becomes the one precomposed code point U+00E9.
  assert.equal(cleanText('Cafe\u0301'), 'caf\u00e9');
});

test("pre-tokenisation: letters, contractions, single digits, punctuation runs, special tokens", () => {
  assert.deepEqual(splitPieces("cat's on the mat!! 42 <|endoftext|>x"), ['cat', "'s", 'on', 'the', 'mat', '!!', '4', '2', '<|endoftext|>', 'x']);
  assert.deepEqual(splitPieces("we'll i'd they're"), ['we', "'ll", 'i', "'d", 'they', "'re"]);
});

test('bytes become printable characters as in GPT-2/CLIP (space is U+0120, é is Ã + ©)', () => {
  assert.deepEqual(toByteChars('a!'), ['a', '!']);
  assert.deepEqual(toByteChars(' '), ['\u0120']);
  assert.deepEqual(toByteChars('\u00e9'), ['\u00c3', '\u00a9']); // UTF-8 C3 A9
  assert.deepEqual(toByteChars('\u00ad'), ['\u00c2', '\u0143']); // soft hyphen C2 AD: C2 printable, AD the 68th non-printable -> 256 + 67
});

test('a sentence, by hand from the fixture tables', () => {
  const { ids, truncated } = tokenizer.encode("  A Red cat's on the MAT! 42 \u00e9");
  // a      -> 'a</w>' (one symbol)                                        320
  // red    -> r e d</w> ; 'r e' (rank 2) -> re d</w> ; 're d</w>' (3)      736
  // cat    -> c a t</w> ; 'c a' (0) beats 'a t</w>' (4) -> ca t</w> -> cat</w> (1)   2368
  // 's     -> ' s</w> ; no merge                                          6, 338
  // on     -> o n</w> ; 'o n</w>' (6)                                      525
  // the    -> t h e</w> ; no merge                                        83, 71, 324
  // mat    -> m a t</w> ; 'a t</w>' (4) beats 'm a' (5) -> m at</w>        76, 780
  // !      -> !</w>                                                        256
  // 4, 2   -> single digits                                               275, 273
  // é      -> bytes C3 A9 -> Ã ©</w>                                       131, 390
  assert.deepEqual(Array.from(ids), padded([BOS, 320, 736, 2368, 6, 338, 525, 83, 71, 324, 76, 780, 256, 275, 273, 131, 390, EOS]));
  assert.equal(truncated, 0);
});

test('an empty prompt is begin + end + padding', () => {
  assert.deepEqual(Array.from(tokenizer.encode('   ').ids), padded([BOS, EOS]));
});

test('a long prompt is cut to 75 ids between the begin and end tokens', () => {
  const { ids, truncated } = tokenizer.encode(new Array(100).fill('a').join(' '));
  assert.equal(ids.length, 77);
  assert.equal(ids[0], BOS);
  assert.ok(ids.subarray(1, 76).every((id) => id === 320));
  assert.equal(ids[76], EOS);
  assert.equal(truncated, 25);
});

test('the pinned pad id is used (SD-Turbo pads with 0, not with the end token)', () => {
  const other = new ClipTokenizer(vocab, merges, { ...SPEC, pad: EOS });
  assert.deepEqual(Array.from(other.encode('a').ids), [BOS, 320, EOS, ...new Array(74).fill(EOS)]);
});

test('bad tables and unknown pieces are one-line errors', () => {
  assert.throws(() => new ClipTokenizer('{', merges, SPEC), /^Error: tokenizer: expected vocab.json to be JSON/);
  assert.throws(() => new ClipTokenizer(vocab, 'c a\n', SPEC), /expected merges.txt to start with a '#version' line/);
  assert.throws(() => new ClipTokenizer(vocab, '#version: 0.2\nc a b\n', SPEC), /merges.txt line 2 to be two tokens/);
  assert.throws(() => new ClipTokenizer(vocab, merges, { ...SPEC, bos: 1 }), /expected vocab.json to give '<\|startoftext\|>' id 1, found 49406/);
  // 'z' is not in the fixture vocabulary (the real one has every byte, alone and with '</w>').
  assert.throws(() => tokenizer.encode('zebra'), /expected 'z' \(from "zebra"\) in vocab.json/);
});
