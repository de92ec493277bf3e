/**
 * `worldsplat <command> ...`: a thin shell over the library. Exit codes: 0 success, 1 bad input
 * (one line on stderr saying what was expected and what was found), 2 bad usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';
import { inspectCommand } from './commands/inspect.ts';
import { convertCommand } from './commands/convert.ts';
import { renderCommand } from './commands/render.ts';
import { generateCommand } from './commands/generate.ts';
import { exploreCommand } from './commands/explore.ts';

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  inspect: inspectCommand,
  convert: convertCommand,
  render: renderCommand,
  explore: exploreCommand,
};

function help(): string {
  const lines = ['usage: worldsplat <command> [options]', '', 'commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', "Run 'worldsplat <command> --help' for a command's options.");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`worldsplat: unknown command '${name}' (expected one of: ${Object.keys(COMMANDS).join(', ')})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    await command.run(parsed.positionals, parsed.values as Record<string, string | boolean | undefined>);
    return 0;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    if (error instanceof UsageError) {
      process.stderr.write(`worldsplat ${name}: ${message}\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`worldsplat ${name}: ${message}\n`);
    return 1;
  }
}
