/**
 * The prompt box's words for the online path. Truths: the fixture pipeline's own entry (its name,
 * licence and file sizes summed here), and the shipped SD-Turbo entry, whose licence is
 * non-commercial and whose files are not pinned yet (so it must read 'unavailable').
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parseTextToImagePipelines, textToImageAvailability } from '../../model/text-to-image/index.ts';
import { byteSize, describeOnline } from './online-choice.ts';

const DIR = fileURLToPath(new URL('../../model/fixtures/text-to-image/', import.meta.url));
const FIXTURE = parseTextToImagePipelines(JSON.parse(readFileSync(join(DIR, 'pipeline.json'), 'utf8')).pipelines, 'fixture')[0];
const BROWSER_GPU = { node: false, webgpu: true };
const BROWSER_NO_GPU = { node: false, webgpu: false };

test('a pipeline that can run says ready, where, how much it downloads, and its licence', () => {
  const c = describeOnline(textToImageAvailability({ pipeline: FIXTURE, runtime: BROWSER_GPU }));
  assert.equal(c.available, true);
  assert.match(c.line, new RegExp(`^ready: ${FIXTURE.name} on webgpu, `));
  // The fixture's files are small: their sum, in KiB rounded up, summed here from the entry itself.
  const bytes = Object.values(FIXTURE.files).reduce((n, f) => n + f.bytes, 0);
  assert.ok(bytes < 1024 ** 2);
  assert.ok(c.line.includes(`, ${Math.ceil(bytes / 1024)} KiB downloaded once on first use`), c.line);
  assert.ok(c.notice?.includes(FIXTURE.licence.id));
});

test('without WebGPU the line says unavailable, why, and that the built-in generator is used', () => {
  const c = describeOnline(textToImageAvailability({ pipeline: FIXTURE, runtime: BROWSER_NO_GPU }));
  assert.equal(c.available, false);
  assert.match(c.line, /^unavailable: .*WebGPU.* -> built-in generator$/);
  assert.ok(c.notice !== null);
});

test('the shipped SD-Turbo entry: unavailable while unpinned, and its notice says non-commercial', () => {
  const c = describeOnline(textToImageAvailability({ runtime: BROWSER_GPU }));
  assert.equal(c.available, false);
  assert.match(c.line, /^unavailable: /);
  assert.match(c.notice ?? '', /non-commercial/);
});

test('an unknown pipeline id: unavailable with its one-line reason, no notice', () => {
  const c = describeOnline(textToImageAvailability({ pipeline: 'no-such-pipeline', runtime: BROWSER_GPU }));
  assert.equal(c.available, false);
  assert.equal(c.notice, null);
  assert.ok(!c.line.includes('\n'));
});

test('sizes read in the unit that fits', () => {
  assert.equal(byteSize(2.5 * 1024 ** 3), '2.5 GiB');
  assert.equal(byteSize(4.5 * 1024 ** 2), '4.5 MiB');
  assert.equal(byteSize(3 * 1024 - 1), '3 KiB');
});
