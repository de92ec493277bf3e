/**
 * Fuzzing the bundle reader: seeded mutations of valid bundles must each end in a sound world or a
 * one-line "bundle: expected ..., found ..." Error. Half the mutated files get their checksum
 * recomputed, so the damage reaches the header and payload checks behind the CRC. A failure
 * prints the seed and mutations, so it can be replayed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import { MUTATIONS, type Mutation } from '../ply-mutations.ts';
import type { WorldBundle } from './bundle-layout.ts';
import { readBundle } from './bundle-reader.ts';
import { testWorld, withFreshChecksum } from './bundle-test-files.ts';
import { writeBundle } from './bundle-writer.ts';
import { crc32 } from './crc32.ts';

const int = (rand: () => number, n: number) => Math.floor(rand() * n);
const headerEnd = (f: Uint8Array) => (f.length >= 16 ? Math.min(f.length, 16 + new DataView(f.buffer, f.byteOffset).getUint32(12, true)) : f.length);
const HEADER_CHARS = '0123456789-.e,:"{}[]nulltrue ';

/** The byte-level accidents of the PLY fuzzer, and edits of the JSON header text. */
const BUNDLE_MUTATIONS: Mutation[] = [
  ...MUTATIONS.filter((m) => !m.name.includes('header')),
  { name: 'change a header character', apply: (f, r) => { const o = f.slice(); const e = headerEnd(o); if (e > 16) o[16 + int(r, e - 16)] = HEADER_CHARS.charCodeAt(int(r, HEADER_CHARS.length)); return o; } },
  { name: 'change a digit in the header', apply: (f, r) => { const o = f.slice(); const e = headerEnd(o); for (let t = 0; t < 50 && e > 16; t++) { const i = 16 + int(r, e - 16); if (o[i] >= 48 && o[i] <= 57) { o[i] = 48 + int(r, 10); break; } } return o; } },
  { name: 'change the header length', apply: (f, r) => { const o = f.slice(); if (o.length >= 16) new DataView(o.buffer).setUint32(12, int(r, o.length + 8), true); return o; } },
];

function assertSound(world: WorldBundle, context: string): void {
  const s = world.splats;
  for (const column of [s.positions, s.scales, s.rotations, s.opacities, s.colors, s.sh ?? new Float32Array(0)]) {
    assert.ok(column.every(Number.isFinite), `${context}: finite columns`);
  }
  assert.equal(s.positions.length, 3 * s.count, context);
  for (const f of world.frames) {
    const pixels = f.width * f.height;
    assert.ok(f.rgb.length === 3 * pixels && f.depth.length === pixels && f.confidence.length === pixels, `${context}: picture sizes`);
    assert.ok(f.splatStart + f.splatCount <= s.count, `${context}: splat range`);
    assert.ok(f.depth.every((d) => d >= 0 && d < Infinity), `${context}: depth`);
    assert.ok(f.pose.position.every(Number.isFinite) && f.pose.rotation.every(Number.isFinite), `${context}: pose`);
  }
}

test('every mutated bundle reads to a sound world or fails with a one-line "bundle: expected ..., found ..."', () => {
  const files = [writeBundle(testWorld(7, 2, 1)), writeBundle(testWorld(4, 0, 2)), writeBundle({ splats: testWorld(0, 1).splats, frames: [] })];
  let ok = 0, failed = 0;
  for (const [index, file] of files.entries()) {
    for (let i = 0; i < 600; i++) {
      const seed = index * 100000 + i;
      const rand = seededRandom(seed);
      const names: string[] = [];
      let bytes = file;
      for (let m = 0, count = 1 + int(rand, 2); m < count; m++) {
        const mutation = BUNDLE_MUTATIONS[int(rand, BUNDLE_MUTATIONS.length)];
        names.push(mutation.name);
        bytes = mutation.apply(bytes, rand);
      }
      if (i % 2 === 1) bytes = withFreshChecksum(bytes, crc32);
      const context = `file ${index}, seed ${seed}, ${names.join(' + ')}${i % 2 ? ' (checksum recomputed)' : ''}`;
      try {
        assertSound(readBundle(bytes), context);
        ok++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(e instanceof Error && e.constructor === Error, `${context}: threw ${String(e)}`);
        assert.match(e.message, /^bundle: expected .*, found /, context);
        assert.ok(!e.message.includes('\n'), `${context}: one line`);
        failed++;
      }
    }
  }
  assert.ok(failed > 1000, `most mutations must be caught (${failed} errors, ${ok} sound reads)`);
});
