/**
 * The CLIP byte-level BPE tokenizer (as OpenAI's CLIP and Stable Diffusion's text encoders use it), from
 * the two tables every CLIP tokenizer folder has: vocab.json (token -> id) and merges.txt (pair merges in
 * priority order, after a '#version' header line).
 *
 * The steps, each as CLIP's reference tokenizer does them:
 *   1. clean: Unicode NFC, runs of whitespace become one space, trimmed, lower-cased;
 *   2. split into pieces with CLIP's pattern: the two special-token spellings, the English contractions
 *      's 't 're 've 'm 'll 'd, runs of letters, single digits, runs of other non-space characters;
 *   3. each piece's UTF-8 bytes become printable characters (GPT-2's byte-to-unicode table), its last
 *      character gets the '</w>' end-of-word mark, and pairs are merged by rank (lowest first) until no
 *      listed pair is left;
 *   4. ids: begin token, the pieces' ids (cut to length - 2), end token, then padding to `length`.
 */
import type { TokenizerSpec } from './spec.ts';

export interface ClipTokens {
  /** Exactly `length` ids. */
  ids: Int32Array;
  /** How many ids of the prompt were cut to fit (0 when it fit). */
  truncated: number;
}

export class ClipTokenizer {
  private readonly vocab: Map<string, number>;
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, number[]>();

  /**
   * `vocabJson` and `mergesText` are the files' text. The real tables have 49408 tokens and 48894
   * merges; any size works as long as every piece the merges leave is in the vocabulary.
   */
  constructor(
    vocabJson: string,
    mergesText: string,
    readonly spec: TokenizerSpec,
  ) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(vocabJson);
    } catch (error) {
      throw new Error(`tokenizer: expected vocab.json to be JSON, found text that does not parse (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('tokenizer: expected vocab.json to be an object of token -> id');
    this.vocab = new Map();
    for (const [token, id] of Object.entries(parsed)) {
      if (!Number.isInteger(id) || (id as number) < 0) throw new Error(`tokenizer: expected vocab.json ids to be integers >= 0, found ${JSON.stringify(id)} for '${token}'`);
      this.vocab.set(token, id as number);
    }
    // A table that disagrees with the pinned special ids would silently shift every embedding.
    for (const [token, id] of [['<|startoftext|>', spec.bos], ['<|endoftext|>', spec.eos]] as const) {
      const found = this.vocab.get(token);
      if (found !== id) throw new Error(`tokenizer: expected vocab.json to give '${token}' id ${id}, found ${found ?? 'no such token'}`);
    }
    this.ranks = new Map();
    const lines = mergesText.split(/\r?\n/);
    if (!lines[0]?.startsWith('#version')) throw new Error(`tokenizer: expected merges.txt to start with a '#version' line, found ${JSON.stringify(lines[0]?.slice(0, 40) ?? '')}`);
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === '') continue;
      const parts = line.split(' ');
      if (parts.length !== 2) throw new Error(`tokenizer: expected merges.txt line ${i + 1} to be two tokens separated by one space, found ${JSON.stringify(line.slice(0, 40))}`);
      const key = pairKey(parts[0], parts[1]);
      if (!this.ranks.has(key)) this.ranks.set(key, this.ranks.size);
    }
  }

  encode(prompt: string): ClipTokens {
    const pieceIds: number[] = [];
    for (const piece of splitPieces(cleanText(prompt))) pieceIds.push(...this.piece(piece));
    const room = this.spec.length - 2;
    const kept = pieceIds.slice(0, room);
    const ids = new Int32Array(this.spec.length).fill(this.spec.pad);
    ids[0] = this.spec.bos;
    ids.set(kept, 1);
    ids[kept.length + 1] = this.spec.eos;
    return { ids, truncated: pieceIds.length - kept.length };
  }

  private piece(piece: string): number[] {
    const cached = this.cache.get(piece);
    if (cached) return cached;
    let ids: number[];
    if (piece === '<|startoftext|>' || piece === '<|endoftext|>') {
      ids = [this.vocab.get(piece)!];
    } else {
      ids = this.bpe(toByteChars(piece)).map((token) => {
        const id = this.vocab.get(token);
        if (id === undefined) throw new Error(`tokenizer: expected '${token}' (from "${piece}") in vocab.json, found no such token`);
        return id;
      });
    }
    if (this.cache.size < 10_000) this.cache.set(piece, ids);
    return ids;
  }

  /** Merges the lowest-ranked adjacent pair, everywhere it occurs, until no listed pair is left. */
  private bpe(chars: string[]): string[] {
    let word = chars.slice();
    word[word.length - 1] += '</w>';
    while (word.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < word.length; i++) {
        const rank = this.ranks.get(pairKey(word[i], word[i + 1]));
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) break;
      const first = word[best];
      const second = word[best + 1];
      const next: string[] = [];
      for (let i = 0; i < word.length; ) {
        if (i + 1 < word.length && word[i] === first && word[i + 1] === second) {
          next.push(first + second);
          i += 2;
        } else {
          next.push(word[i]);
          i += 1;
        }
      }
      word = next;
    }
    return word;
  }
}

// A character no token contains, so the key of a pair is unambiguous.
const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
}

/** CLIP's pre-tokenisation pattern (its reference uses it case-insensitively on lower-cased text). */
const PIECE = /<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|\p{L}+|\p{N}|[^\s\p{L}\p{N}]+/giu;

export function splitPieces(cleaned: string): string[] {
  return cleaned.match(PIECE) ?? [];
}

/**
 * GPT-2's reversible byte -> character table: the printable Latin-1 bytes stand for themselves, the
 * other 68 bytes (controls, space, soft hyphen...) get the characters from U+0100 on, in byte order.
 */
const BYTE_CHARS: string[] = (() => {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const table: string[] = [];
  let next = 0;
  for (let b = 0; b < 256; b++) table[b] = String.fromCharCode(printable(b) ? b : 256 + next++);
  return table;
})();

const utf8 = new TextEncoder();

export function toByteChars(piece: string): string[] {
  return Array.from(utf8.encode(piece), (b) => BYTE_CHARS[b]);
}
