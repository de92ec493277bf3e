/** Bad usage (unknown option, missing argument): exit code 2, as opposed to bad input (exit code 1). */
export class UsageError extends Error {}

const MAX_LINE = 1000;

/**
 * Text from a file or an argument as a command may print it: control characters (C0, DEL, C1) written
 * as \u escapes, since they could otherwise clear the terminal or ring its bell, and a NUL cuts the
 * line in some viewers. Printable text outside ASCII is kept.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An error message as the one line a command prints: its first line, with control characters
 * escaped (escapeControls: a found value quoted from a file or an argument is in it), at most
 * MAX_LINE characters.
 */
export function errorLine(message: string): string {
  const first = escapeControls(message.split(/\r?\n/)[0]);
  return first.length > MAX_LINE ? `${first.slice(0, MAX_LINE)}...` : first;
}
