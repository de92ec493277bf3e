/** The pipeline entry parser: what pretrained.json holds for SD-Turbo, and one-line errors for bad entries. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PRETRAINED_PIPELINES } from '../pretrained.ts';
import { FILE_ROLES, parseTextToImagePipelines } from './spec.ts';

const fixture = () => JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/text-to-image/pipeline.json', import.meta.url)), 'utf8')).pipelines;

test("pretrained.json's SD-Turbo: pinned commit URLs, the export's tensor names and types, non-commercial licence", () => {
  const sd = PRETRAINED_PIPELINES.find((p) => p.id === 'sd-turbo')!;
  for (const role of FILE_ROLES) {
    assert.match(sd.files[role].url, /^https:\/\/huggingface\.co\/schmuell\/sd-turbo-ort-web\/resolve\/ace89b7d2cd849f9a73914cdbb8a3ea60c853dd1\//);
    // Nothing was invented: every file without a found hash says why.
    if (sd.files[role].sha256 === null) assert.ok((sd.files[role].unpinned ?? '').length > 20);
  }
  assert.deepEqual(sd.files.unet.inputs, {
    sample: { name: 'sample', dtype: 'float32' },
    timestep: { name: 'timestep', dtype: 'int64' },
    encoderHiddenStates: { name: 'encoder_hidden_states', dtype: 'float32' },
  });
  assert.deepEqual(sd.files.textEncoder.inputs.inputIds, { name: 'input_ids', dtype: 'int32' });
  assert.deepEqual(sd.files.vaeDecoder.outputs.image, { name: 'sample', dtype: 'float32' });
  assert.equal(sd.licence.nonCommercial, true);
  assert.deepEqual(sd.tokenizer, { length: 77, bos: 49406, eos: 49407, pad: 0 });
  assert.equal(sd.latent.scalingFactor, 0.18215);
});

test('the offline fixture has the real entry\'s tensor names and types, token ids, schedule and sizes', () => {
  const sd = PRETRAINED_PIPELINES.find((p) => p.id === 'sd-turbo')!;
  const [like] = parseTextToImagePipelines(fixture(), 'fixture');
  for (const role of ['textEncoder', 'unet', 'vaeDecoder'] as const) {
    assert.deepEqual(like.files[role].inputs, sd.files[role].inputs, `${role} inputs`);
    assert.deepEqual(like.files[role].outputs, sd.files[role].outputs, `${role} outputs`);
  }
  for (const key of ['tokenizer', 'textEmbeddingWidth', 'scheduler', 'latent', 'image'] as const) assert.deepEqual(like[key], sd[key], key);
});

test('bad entries are one-line errors naming the field', () => {
  const bad = (change: (entry: Record<string, any>) => void) => {
    const list = fixture();
    change(list[0]);
    return () => parseTextToImagePipelines(list, 'p.json');
  };
  assert.throws(bad((e) => (e.colour = 'red')), /^Error: p.json: pipeline 'sd-turbo-like' the entry has unknown field 'colour'/);
  assert.throws(bad((e) => (e.files.unet.sha256 = null)), /file 'unet': expected an 'unpinned' note saying why bytes or sha256 is null, found nothing$/);
  assert.throws(bad((e) => (e.files.unet.sha256 = 'ABC')), /file 'unet': expected a 64-hex sha256 or null, found "ABC"$/);
  assert.throws(bad((e) => (e.files.vocab.url = 'https://huggingface.co/x/resolve/main/vocab.json')), /expected a url pinned to a commit/);
  assert.throws(bad((e) => (e.files.unet.inputs.timestep.dtype = 'uint8')), /input.*timestep: expected dtype to be one of 'int64', 'int32', 'float32', 'float16', found "uint8"$/);
  assert.throws(bad((e) => delete e.files.unet.outputs.noise), /outputs: the tensors is missing 'noise'$/);
  assert.throws(bad((e) => (e.scheduler.timestep = 1000)), /scheduler: expected timestep to be an integer from 0 to trainSteps - 1 \(999\), found 1000$/);
  assert.throws(bad((e) => (e.image.width = 500)), /expected the image size to be the latent size times one integer factor, found 500x512 for a 64x64 latent$/);
  assert.throws(bad((e) => (e.licence.nonCommercial = 'yes')), /licence: expected nonCommercial to be true or false, found "yes"$/);
  assert.throws(() => parseTextToImagePipelines([...fixture(), ...fixture()], 'p.json'), /^Error: p.json: pipeline 'sd-turbo-like' is listed twice$/);
});
