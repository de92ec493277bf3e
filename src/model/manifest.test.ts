import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureManifest } from './fixtures/fixtures.ts';
import { findModel, fovInputOf, imageInputOf, mergeManifests, parseManifest } from './manifest.ts';
import { PRETRAINED_MODELS } from './pretrained.ts';

/** A valid downloadable entry to break one field at a time. */
const good = () => ({
  id: 'x',
  name: 'X',
  url: 'https://huggingface.co/o/r/resolve/0123456789abcdef0123456789abcdef01234567/model.onnx',
  bytes: 10,
  sha256: 'ab'.repeat(32),
  licence: { id: 'Apache-2.0', nonCommercial: false },
  task: 'relative-inverse-depth',
  inputs: [
    {
      name: 'pixel_values',
      kind: 'image',
      layout: 'NCHW',
      channels: 'RGB',
      valueRange: [0, 1],
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      resize: { mode: 'stretch', longSide: 518, multipleOf: 14 },
    },
  ],
  outputs: [{ name: 'predicted_depth', layout: 'NHW', meaning: 'relative-inverse-depth' }],
});
const parseOne = (entry: object) => parseManifest({ version: 1, models: [entry] });

test('the pretrained list and the fixture manifest parse, with their values intact', () => {
  const da = findModel(PRETRAINED_MODELS, 'depth-anything-v2-small');
  assert.equal(da.bytes, 99060839);
  assert.equal(da.sha256, 'afb6a5c28f3b6bf1618c6e43f02073ef9dfdc70e937502d51603e57b0a1df10c');
  assert.equal(da.licence.nonCommercial, false);
  assert.deepEqual(imageInputOf(da).resize, { mode: 'stretch', longSide: 518, multipleOf: 14 });
  const fixtures = fixtureManifest();
  assert.deepEqual(fixtures.models.map((m) => m.id), ['builtin', 'depth-anything-like', 'half-res-fixed']);
  assert.equal(findModel(fixtures, 'builtin').file, 'builtin-like.onnx');
  assert.equal(findModel(fixtures, 'builtin').outputs[2].frame, 'opencv');
  assert.deepEqual(fovInputOf(findModel(fixtures, 'builtin')), { name: 'fov_deg', kind: 'vertical-fov-degrees', default: 60 });
});

test('a good entry parses to the same values', () => {
  const entry = parseOne(good()).models[0];
  assert.equal(entry.url, good().url);
  assert.deepEqual(imageInputOf(entry).mean, [0.485, 0.456, 0.406]);
});

test('bad fields give one-line errors naming the model, what was expected and what was found', () => {
  const cases: [string, (e: ReturnType<typeof good>) => unknown, string][] = [
    ['short hash', (e) => (e.sha256 = 'abc'), `manifest: model 'x' expected a 64-hex sha256, found "abc"`],
    ['upper-case hash', (e) => (e.sha256 = 'AB'.repeat(32)), `manifest: model 'x' expected a 64-hex sha256, found "ABAB`],
    ['url on a branch', (e) => (e.url = 'https://huggingface.co/o/r/resolve/main/model.onnx'), `manifest: model 'x' expected a url pinned to a commit`],
    ['plain http', (e) => (e.url = 'http://example.com/0123456789abcdef0123456789abcdef01234567/m.onnx'), `manifest: model 'x' expected an https:// url`],
    ['both file and url', (e) => Object.assign(e, { file: 'm.onnx' }), `manifest: model 'x' expected exactly one of file (shipped) or url (downloaded), found both`],
    ['zero bytes', (e) => (e.bytes = 0), `manifest: model 'x' expected bytes to be a positive integer, found 0`],
    ['misspelt field', (e) => Object.assign(e, { licnce: 'MIT' }), `manifest: model 'x' the entry has unknown field 'licnce'`],
    ['licence flag missing', (e) => (e.licence = { id: 'MIT' } as never), `manifest: model 'x' expected nonCommercial to be true or false, found nothing`],
    ['unknown task', (e) => (e.task = 'segmentation'), `manifest: model 'x' expected task to be one of 'depth', 'relative-inverse-depth', 'text-to-image', 'complete', found "segmentation"`],
    ['wrong output for task', (e) => (e.outputs[0].meaning = 'log-depth'), `manifest: model 'x' expected task 'relative-inverse-depth' to have exactly one output with meaning 'relative-inverse-depth', found 0`],
    ['two std values', (e) => (e.inputs[0].std = [0.2, 0.2]), `manifest: model 'x' input 'pixel_values': expected std to be 3 finite numbers, found [0.2,0.2]`],
    ['zero std', (e) => (e.inputs[0].std = [0.2, 0, 0.2]), `manifest: model 'x' input 'pixel_values': expected std to be 3 positive numbers, found [0.2, 0, 0.2]`],
    ['long side off the grid', (e) => (e.inputs[0].resize.longSide = 520), `manifest: model 'x' input 'pixel_values': expected resize.longSide to be a multiple of resize.multipleOf (14), found 520`],
    ['frame on depth', (e) => Object.assign(e.outputs[0], { frame: 'opencv' }), `manifest: model 'x' output 'predicted_depth': expected no frame on a 'relative-inverse-depth' output`],
    ['id with a slash', (e) => (e.id = 'a/b'), `manifest: model 'a/b' expected an id of lower-case letters`],
    ['field of view of 0', (e) => e.inputs.push({ name: 'fov', kind: 'vertical-fov-degrees', default: 0 } as never), `manifest: model 'x' input 'fov': expected default to be a field of view between 0 and 180 degrees, found 0`],
    ['two images', (e) => e.inputs.push({ ...e.inputs[0], name: 'second' }), `manifest: model 'x' expected a depth model to have one image input and at most one field-of-view input, found 2 and 0`],
    ['mirrorAverage as a string', (e) => Object.assign(e.inputs[0], { mirrorAverage: 'yes' }), `manifest: model 'x' input 'pixel_values': expected mirrorAverage to be true, false or a non-empty list of output names, found "yes"`],
    ['mirrorAverage as a number', (e) => Object.assign(e.inputs[0], { mirrorAverage: 1 }), `manifest: model 'x' input 'pixel_values': expected mirrorAverage to be true, false or a non-empty list of output names, found 1`],
    ['mirrorAverage as an empty list', (e) => Object.assign(e.inputs[0], { mirrorAverage: [] }), `manifest: model 'x' input 'pixel_values': expected mirrorAverage to be true, false or a non-empty list of output names, found []`],
    ['mirrorAverage misspelt', (e) => Object.assign(e.inputs[0], { mirrorAveraging: true }), `manifest: model 'x' input 'pixel_values': the input has unknown field 'mirrorAveraging'`],
  ];
  for (const [what, breakIt, message] of cases) {
    const entry = good();
    breakIt(entry);
    assert.throws(() => parseOne(entry), (error: Error) => {
      assert.ok(error.message.startsWith(message), `${what}: got "${error.message}"`);
      assert.ok(!error.message.includes('\n'), `${what}: one line`);
      return true;
    });
  }
});

test('a shipped file must stay inside the manifest folder; normals need a frame', () => {
  const shipped = { ...good(), url: undefined, file: '../secret.onnx' };
  assert.throws(() => parseOne(shipped), /expected file to be a path inside the manifest's folder, found "..\/secret.onnx"/);
  const withNormals = good();
  withNormals.outputs.push({ name: 'n', layout: 'NCHW', meaning: 'normals' });
  assert.throws(() => parseOne(withNormals), /output 'n': expected frame to be one of 'opengl', 'opencv', found nothing/);
});

test('the manifest itself: version, models array; merging refuses a duplicate id', () => {
  assert.throws(() => parseManifest({ models: [] }), /^Error: manifest: expected version 1, found nothing$/);
  assert.throws(() => parseManifest([], 'models/manifest.json'), /^Error: models\/manifest.json: expected the manifest to be an object, found \[\]$/);
  const one = parseOne(good());
  assert.throws(() => mergeManifests(one, one), /manifest: model 'x' is listed twice/);
  assert.throws(() => findModel(one, 'y'), /manifest: no model 'y' \(known: 'x'\)/);
});

/** A valid completion entry (the shape runComplete wants). */
const completeEntry = (mirrorAverage?: boolean) => ({
  id: 'c', name: 'C', file: 'c.onnx', bytes: 1, sha256: '0'.repeat(64), licence: { id: 'MIT', nonCommercial: false }, task: 'complete',
  inputs: [
    { ...good().inputs[0], name: 'image', ...(mirrorAverage === undefined ? {} : { mirrorAverage }) },
    { name: 'log_depth', kind: 'map', layout: 'NCHW', meaning: 'log-depth' },
    { name: 'hole', kind: 'map', layout: 'NCHW', meaning: 'hole' },
    { name: 'sky', kind: 'map', layout: 'NCHW', meaning: 'sky' },
  ],
  outputs: [
    { name: 'rgb', layout: 'NCHW', meaning: 'rgb' },
    { name: 'log_depth_out', layout: 'NCHW', meaning: 'log-depth' },
  ],
});

test('mirrorAverage: absent stays absent (false), true and false are kept; a completion model may not ask for it', () => {
  assert.equal('mirrorAverage' in imageInputOf(parseOne(good()).models[0]), false);
  for (const flag of [true, false]) {
    const entry = good();
    Object.assign(entry.inputs[0], { mirrorAverage: flag });
    assert.equal(imageInputOf(parseOne(entry).models[0]).mirrorAverage, flag);
  }
  const depth = { ...good(), task: 'depth', outputs: [{ name: 'log_depth', layout: 'NCHW', meaning: 'log-depth' }] };
  Object.assign(depth.inputs[0], { mirrorAverage: true });
  assert.equal(imageInputOf(parseOne(depth).models[0]).mirrorAverage, true);
  // A list names the outputs to average; a name that is not an output is refused.
  Object.assign(depth.inputs[0], { mirrorAverage: ['log_depth'] });
  assert.deepEqual(imageInputOf(parseOne(depth).models[0]).mirrorAverage, ['log_depth']);
  Object.assign(depth.inputs[0], { mirrorAverage: ['log_depth', 'skye'] });
  assert.throws(
    () => parseOne(depth),
    (error: Error) => error.message === "manifest: model 'x' input 'pixel_values': expected mirrorAverage to name outputs of the model (log_depth), found 'skye'",
  );
  assert.equal(imageInputOf(parseOne(completeEntry(false)).models[0]).mirrorAverage, false);
  assert.equal(parseOne(completeEntry()).models[0].task, 'complete');
  assert.throws(
    () => parseOne(completeEntry(true)),
    (error: Error) => error.message === "manifest: model 'c' input 'image': expected mirrorAverage only on a depth model (task 'depth' or 'relative-inverse-depth'), found it on task 'complete'",
  );
});
