import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readPosesText } from './poses-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'worldsplat-poses-'));

test('a poses file is read as UTF-8; other bytes are named (UTF-16, a code page, a folder, none)', async () => {
  const file = (name: string, bytes: Uint8Array | string) => (writeFileSync(join(dir, name), bytes), join(dir, name));
  assert.equal(await readPosesText(file('ok.json', '[{"eye":[0,0,0],"target":[1,0,0]}] // caf\u00e9')), '[{"eye":[0,0,0],"target":[1,0,0]}] // caf\u00e9');
  const latin1 = file('latin1.json', Buffer.from('[] // caf\u00e9', 'latin1'));
  await assert.rejects(readPosesText(latin1), { message: `${latin1}: expected UTF-8 JSON text, found text with a byte that is not UTF-8 (0xe9 at byte 9, after "[] // caf"; saved as Latin-1 or another code page?)` });
  const be = file('be.json', Buffer.from([0xfe, 0xff, 0, 0x5b, 0, 0x5d]));
  await assert.rejects(readPosesText(be), /found UTF-16 text \(save it as UTF-8\)$/);
  const binary = file('bin.json', Buffer.from([0x80, 1, 2, 0x1b]));
  await assert.rejects(readPosesText(binary), /expected UTF-8 JSON text, found bytes 80 01 02 1b$/);
  await assert.rejects(readPosesText(dir), { message: `${dir}: expected a readable poses file, found a folder` });
  await assert.rejects(readPosesText(join(dir, 'none.json')), /none\.json: expected a readable poses file, found none$/);
  // (a sparse file: nothing is written or read; it was read whole, then fed to JSON.parse)
  const huge = file('huge.json', '');
  truncateSync(huge, 2 ** 31);
  await assert.rejects(readPosesText(huge), { message: `${huge}: expected a poses file of at most 16 MB, found 2048 MB` });
});
