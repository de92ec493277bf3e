/**
 * Reading hand-written JSON (the model manifest, the text-to-image pipelines) field by field, so that
 * every failure is one line that names where it is, what was expected and what was found.
 */

/** Throws with `<where> <what>`, e.g. `manifest: model 'id' input 'image': expected ...`. */
export class JsonReader {
  constructor(readonly where: string) {}

  /** A reader for a part of this one: `manifest: model 'x' input 'image':`. */
  nested(part: string): JsonReader {
    return new JsonReader(`${this.where} ${part}:`);
  }

  fail(message: string): never {
    throw new Error(`${this.where} ${message}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(`expected ${field} to be an object, found ${describe(value)}`);
    }
    return value as Record<string, unknown>;
  }

  string(obj: Record<string, unknown>, field: string): string {
    const value = obj[field];
    if (typeof value !== 'string' || value.length === 0) this.fail(`expected ${field} to be a non-empty string, found ${describe(value)}`);
    return value;
  }

  optionalString(obj: Record<string, unknown>, field: string): string | undefined {
    return obj[field] === undefined ? undefined : this.string(obj, field);
  }

  oneOf<T extends string>(obj: Record<string, unknown>, field: string, allowed: readonly T[]): T {
    const value = obj[field];
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      this.fail(`expected ${field} to be one of ${allowed.map((a) => `'${a}'`).join(', ')}, found ${describe(value)}`);
    }
    return value as T;
  }

  positiveInteger(obj: Record<string, unknown>, field: string): number {
    const value = obj[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      this.fail(`expected ${field} to be a positive integer, found ${describe(value)}`);
    }
    return value;
  }

  boolean(obj: Record<string, unknown>, field: string): boolean {
    const value = obj[field];
    if (typeof value !== 'boolean') this.fail(`expected ${field} to be true or false, found ${describe(value)}`);
    return value;
  }

  numbers(obj: Record<string, unknown>, field: string, count: number): number[] {
    const value = obj[field];
    if (!Array.isArray(value) || value.length !== count || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      this.fail(`expected ${field} to be ${count} finite numbers, found ${describe(value)}`);
    }
    return value as number[];
  }

  number(obj: Record<string, unknown>, field: string, check: (v: number) => boolean, what: string): number {
    const value = obj[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) this.fail(`expected ${field} to be ${what}, found ${describe(value)}`);
    return value;
  }

  integer(obj: Record<string, unknown>, field: string, min = 1): number {
    return this.number(obj, field, (v) => Number.isInteger(v) && v >= min, min === 0 ? 'an integer >= 0' : 'a positive integer');
  }

  /**
   * Fails on keys outside `known` (a misspelt optional field would otherwise be ignored) and, when
   * `required` is given, on any of those missing.
   */
  onlyKeys(obj: Record<string, unknown>, known: readonly string[], what: string, required: readonly string[] = []): void {
    const extra = Object.keys(obj).filter((k) => !known.includes(k));
    if (extra.length > 0) this.fail(`${what} has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')} (known: ${known.join(', ')})`);
    const missing = required.filter((k) => !(k in obj));
    if (missing.length > 0) this.fail(`${what} is missing ${missing.map((k) => `'${k}'`).join(', ')}`);
  }
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
