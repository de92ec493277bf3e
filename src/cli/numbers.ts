/**
 * Numbers as a person types them on a command line, one grammar for every option: plain decimals.
 * Number() and parseFloat would also take "0x10" (16), "1e1", "0b11", " 60" or "60abc" (parseFloat),
 * each a typo or a paste that should be refused rather than read as something else.
 */
import type { Vec3 } from '../core/vec3.ts';

const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const WHOLE = /^\d+$/;

/** The value of a decimal such as "60", "-1.5" or ".5"; NaN for anything else (the caller's range check then says what it expected). */
export function decimal(text: string | undefined): number {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : NaN;
}

/** The value of a whole number written in digits only ("12", not "12.0", "+12" or "1e1"); NaN otherwise. */
export function wholeNumber(text: string | undefined): number {
  return text !== undefined && WHOLE.test(text) ? Number(text) : NaN;
}

/** "x,y,z" as three decimals (spaces after the commas allowed); `what` names the option in the error. */
export function parseVec3(text: string, what: string): Vec3 {
  const parts = text.split(',').map((s) => s.trim());
  const nums = parts.map(decimal);
  if (parts.length !== 3 || nums.some((n) => !Number.isFinite(n))) {
    throw new Error(`${what}: expected three decimal numbers "x,y,z", found ${JSON.stringify(text)}`);
  }
  return nums as Vec3;
}
