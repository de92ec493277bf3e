import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findPlyHeaderEnd, parsePlyHeader, PLY_MAX_HEADER_BYTES } from './ply-header.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

test('a header with comments, obj_info, type aliases and a list element parses to elements and properties', () => {
  const text = [
    'ply',
    'format binary_big_endian 1.0',
    'comment made by hand',
    'element vertex 3',
    'property float32 x',
    'property uchar red',
    'property double  w',
    'obj_info scanner 7',
    '',
    'element face 2',
    'property list uint8 int vertex_indices',
    'end_header',
    '',
  ].join('\n');
  const h = parsePlyHeader(bytes(text + 'BODY'));
  assert.equal(h.format, 'binary_big_endian');
  assert.equal(h.byteLength, text.length);
  assert.deepEqual(h.comments, ['made by hand', 'scanner 7']);
  assert.deepEqual(h.elements, [
    { name: 'vertex', count: 3, properties: [{ name: 'x', type: 'float32' }, { name: 'red', type: 'uint8' }, { name: 'w', type: 'float64' }] },
    { name: 'face', count: 2, properties: [{ name: 'vertex_indices', type: 'int32', listCountType: 'uint8' }] },
  ]);
});

test('CRLF line ends are accepted and the body starts after end_header\\r\\n', () => {
  const text = 'ply\r\nformat ascii 1.0\r\nelement vertex 0\r\nproperty float x\r\nend_header\r\n';
  const h = parsePlyHeader(bytes(text + '1 2 3'));
  assert.equal(h.byteLength, text.length);
  assert.equal(h.format, 'ascii');
  assert.equal(h.elements[0].properties[0].name, 'x');
});

test('the header end is found only once its line break has arrived', () => {
  const text = 'ply\nformat ascii 1.0\nend_header';
  assert.equal(findPlyHeaderEnd(bytes(text), false), -1);
  assert.equal(findPlyHeaderEnd(bytes(text + '\r'), false), -1);
  assert.equal(findPlyHeaderEnd(bytes(text + '\n'), false), text.length + 1);
  // At the end of a complete file, a final end_header without a line break is accepted.
  assert.equal(findPlyHeaderEnd(bytes(text), true), text.length);
  assert.throws(() => findPlyHeaderEnd(bytes(text + '\r'), true), /expected an 'end_header' line, found the end of the file/);
  assert.equal(findPlyHeaderEnd(bytes(text + 'x\nend_header\n'), false), text.length + 13);
  // "end_header" inside a comment is not the end.
  assert.equal(findPlyHeaderEnd(bytes('ply\ncomment end_header\n'), false), -1);
});

test('a wrong magic fails on the first bytes, even before the header is complete', () => {
  assert.throws(() => findPlyHeaderEnd(bytes('PK\x03\x04'), false), /^Error: PLY: expected a PLY file starting with 'ply', found "PK\\u0003\\u0004"$/);
  assert.throws(() => findPlyHeaderEnd(bytes('pl'), true), /expected a PLY file starting with 'ply', found "pl"/);
  assert.throws(() => findPlyHeaderEnd(bytes(''), true), /found an empty file/);
  assert.equal(findPlyHeaderEnd(bytes('pl'), false), -1);
});

test('a header without end_header is rejected at the size limit or at the end of the file', () => {
  const long = bytes('ply\n' + 'comment padding\n'.repeat(PLY_MAX_HEADER_BYTES / 16));
  assert.throws(() => findPlyHeaderEnd(long, false), new RegExp(`PLY: expected 'end_header' within the first ${PLY_MAX_HEADER_BYTES} bytes, found none`));
  assert.throws(() => parsePlyHeader(bytes('ply\nformat ascii 1.0\n')), /PLY: expected an 'end_header' line, found the end of the file after 21 bytes of header/);
});

test('bad header lines are named with what was expected and the line number', () => {
  const cases: [string, RegExp][] = [
    ['format binary_middle_endian 1.0', /PLY: expected 'format ascii\|binary_little_endian\|binary_big_endian 1.0', found "format binary_middle_endian 1.0" \(header line 2\)/],
    ['format ascii 2.0', /found "format ascii 2.0"/],
    ['element vertex -1', /expected 'element <name> <non-negative integer count>', found "element vertex -1"/],
    ['element vertex 1.5', /found "element vertex 1.5"/],
    ['element vertex 99999999999999999999', /expected an element count below 2\^53/],
    ['element vertex 1\nproperty float128 x', /expected 'property <type> <name>' with a type among char int8 uchar/],
    ['element vertex 1\nproperty list uchar x', /expected 'property list <count type> <item type> <name>'/],
    ['element vertex 1\nproperty float x\nproperty double x', /expected property names to be unique in element 'vertex', found a second "x"/],
    ['element vertex 1\nelement vertex 2', /expected element names to be unique, found a second "vertex"/],
    ['property float x', /expected an 'element' line before the first property/],
    ['vertex 3', /expected a header line starting with format, element, property, comment, obj_info or end_header, found "vertex 3" \(header line 3\)/],
  ];
  for (const [lines, expected] of cases) {
    const format = lines.startsWith('format') ? '' : 'format ascii 1.0\n';
    assert.throws(() => parsePlyHeader(bytes(`ply\n${format}${lines}\nend_header\n`)), expected, lines);
  }
  assert.throws(() => parsePlyHeader(bytes('ply\nelement vertex 1\nend_header\n')), /PLY: expected a 'format' line in the header, found none/);
  assert.throws(() => parsePlyHeader(bytes('ply\nformat ascii 1.0\nformat ascii 1.0\nend_header\n')), /expected one 'format' line, found a second/);
});
