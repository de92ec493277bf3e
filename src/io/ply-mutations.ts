/**
 * Seeded random damage to PLY files, for the fuzz test: the byte-level accidents of real life
 * (truncated downloads, flipped bits, concatenated files) and the header edits a confused tool makes
 * (duplicated or dropped lines, wrong counts, wrong types).
 */

export type Mutation = { name: string; apply: (file: Uint8Array, rand: () => number) => Uint8Array };

const int = (rand: () => number, n: number) => Math.floor(rand() * n);

function headerEnd(file: Uint8Array): number {
  const text = new TextDecoder('latin1').decode(file.subarray(0, Math.min(file.length, 4096)));
  const at = text.indexOf('end_header');
  return at < 0 ? Math.min(file.length, 4096) : at + 'end_header'.length + (text[at + 10] === '\r' ? 2 : 1);
}

function splice(file: Uint8Array, start: number, deleteCount: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(file.length - deleteCount + insert.length);
  out.set(file.subarray(0, start));
  out.set(insert, start);
  out.set(file.subarray(start + deleteCount), start + insert.length);
  return out;
}

/** Rewrites the header's lines with `edit` and keeps the body as it was. */
function editHeaderLines(file: Uint8Array, edit: (lines: string[]) => string[]): Uint8Array {
  const end = headerEnd(file);
  const text = new TextDecoder('latin1').decode(file.subarray(0, end));
  const lines = text.split('\n');
  const trailing = lines.pop(); // '' after the final line break
  const header = Uint8Array.from([...(edit(lines).join('\n') + '\n' + trailing)].map((c) => c.charCodeAt(0) & 0xff));
  return splice(file, 0, end, header);
}

const NUMBERS = ['0', '1', '2', '7', '-1', '1.5', '1e3', '4294967296', '99999999999999999999', '9007199254740993', 'x'];
const WORDS = ['float', 'double', 'uchar', 'int', 'list', 'vertex', 'face', 'property', 'element', 'x', 'opacity', 'f_rest_0', 'ascii', 'binary_big_endian', 'comment', ''];

export const MUTATIONS: Mutation[] = [
  { name: 'flip a byte', apply: (f, r) => { const o = f.slice(); if (o.length) o[int(r, o.length)] = int(r, 256); return o; } },
  { name: 'flip a bit', apply: (f, r) => { const o = f.slice(); if (o.length) o[int(r, o.length)] ^= 1 << int(r, 8); return o; } },
  { name: 'flip bytes in the body', apply: (f, r) => { const o = f.slice(); const h = headerEnd(o); for (let i = 0; i < 4 && h < o.length; i++) o[h + int(r, o.length - h)] = int(r, 256); return o; } },
  { name: 'truncate', apply: (f, r) => f.subarray(0, int(r, f.length)) },
  { name: 'truncate the body', apply: (f, r) => { const h = headerEnd(f); return f.subarray(0, h + int(r, Math.max(1, f.length - h))); } },
  { name: 'insert bytes', apply: (f, r) => splice(f, int(r, f.length + 1), 0, Uint8Array.from({ length: 1 + int(r, 9) }, () => int(r, 256))) },
  { name: 'delete bytes', apply: (f, r) => { const at = int(r, f.length); return splice(f, at, Math.min(f.length - at, 1 + int(r, 16))); } },
  { name: 'append garbage', apply: (f, r) => splice(f, f.length, 0, Uint8Array.from({ length: 1 + int(r, 300) }, () => int(r, 256))) },
  { name: 'append the file to itself', apply: (f) => splice(f, f.length, 0, f) },
  { name: 'duplicate a header line', apply: (f, r) => editHeaderLines(f, (l) => { const i = 1 + int(r, l.length - 1); return [...l.slice(0, i), l[i], ...l.slice(i)]; }) },
  { name: 'drop a header line', apply: (f, r) => editHeaderLines(f, (l) => { const i = int(r, l.length); return l.filter((_, j) => j !== i); }) },
  { name: 'swap two header lines', apply: (f, r) => editHeaderLines(f, (l) => { const o = [...l]; const i = int(r, o.length), j = int(r, o.length); [o[i], o[j]] = [o[j], o[i]]; return o; }) },
  {
    name: 'change a number in the header',
    apply: (f, r) => editHeaderLines(f, (l) => l.map((line) => (r() < 0.3 ? line.replace(/\d+(\.\d+)?/, NUMBERS[int(r, NUMBERS.length)]) : line))),
  },
  {
    name: 'change a word in the header',
    apply: (f, r) => editHeaderLines(f, (l) => { const o = [...l]; const i = int(r, o.length); const w = o[i].split(' '); w[int(r, w.length)] = WORDS[int(r, WORDS.length)]; o[i] = w.join(' '); return o; }),
  },
  { name: 'CRLF header', apply: (f) => editHeaderLines(f, (l) => l.map((line) => line.replace(/\r?$/, '\r'))) },
];

/** One to three random mutations, applied in turn; returns the names for the failure message. */
export function mutate(file: Uint8Array, rand: () => number): { bytes: Uint8Array; names: string[] } {
  let bytes = file;
  const names: string[] = [];
  for (let n = 1 + int(rand, 3); n > 0; n--) {
    const m = MUTATIONS[int(rand, MUTATIONS.length)];
    bytes = m.apply(bytes, rand);
    names.push(m.name);
  }
  return { bytes, names };
}
