/**
 * A command's options and positionals, by node:util parseArgs, with two things it does not do:
 * its errors are reworded to the project's one line "what: expected ..., found ..." (its own are
 * "Unknown option '--x'. To specify a positional argument starting with a '-', ..." and a
 * three-line "argument is ambiguous"), and a value that is a negative number is taken as the value
 * (parseArgs reads `--eye -1,0,2` or `--fov -5` as an option missing its value, then '-1' as options).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine(args: string[], options: Options) {
  try {
    return parseArgs({ args: negativeValuesJoined(args, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(reworded((error as Error).message, options));
  }
}

const NEGATIVE_NUMBER = /^-\.?\d/;

/** `--name -1,2` and `-o -1` as `--name=-1,2`, for options that take a value; nothing after `--` is touched. */
function negativeValuesJoined(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') return out.concat(args.slice(i));
    const name = arg.startsWith('--') ? arg.slice(2) : arg.length === 2 && arg[0] === '-' ? longName(arg[1], options) : undefined;
    if (name !== undefined && Object.hasOwn(options, name) && options[name].type === 'string' && NEGATIVE_NUMBER.test(args[i + 1] ?? '')) {
      out.push(`--${name}=${args[++i]}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

const longName = (short: string, options: Options): string | undefined => Object.keys(options).find((n) => options[n].short === short);

function reworded(message: string, options: Options): string {
  const first = message.split('\n')[0];
  const unknown = /^Unknown option '([^']*)'/.exec(first);
  if (unknown) {
    const names = Object.entries(options).map(([n, o]) => (o.short ? `--${n} (-${o.short})` : `--${n}`));
    return `expected ${names.length ? `one of the options ${names.join(', ')}` : 'no options'}, found '${unknown[1]}'`;
  }
  // "Option '-o, --output <value>' argument missing": the long name is the last dashed word.
  const named = /^Option '(?:-\w, )?(--?[^' ]+)[^']*' (.*)$/.exec(first);
  if (named) {
    const [, option, what] = named;
    if (what.startsWith('argument missing')) return `${option}: expected a value, found none`;
    if (what.startsWith('argument is ambiguous')) {
      return `${option}: expected a value, found another option after it (write ${option}=VALUE for a value starting with '-')`;
    }
    if (what.startsWith('does not take an argument')) return `${option}: expected no value (it is a switch), found one`;
  }
  return first;
}
