/**
 * `worldsplat <command> ...`: a thin shell over the library. Exit codes: 0 success, 1 bad input
 * (one line on stderr saying what was expected and what was found), 2 bad usage.
 */
import type { ParseArgsConfig } from 'node:util';
import { UsageError, errorLine } from './errors.ts';
import { parseCommandLine } from './parse-options.ts';

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, string | boolean | undefined>): Promise<void>;
}

/**
 * Each command is loaded only when it runs: their modules and packages (PNG, libvips, onnxruntime)
 * differ, and a process should not load the ones it does not use (fast-png alone took ~0.1 s).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./commands/generate.ts')).generateCommand,
  inspect: async () => (await import('./commands/inspect.ts')).inspectCommand,
  convert: async () => (await import('./commands/convert.ts')).convertCommand,
  render: async () => (await import('./commands/render.ts')).renderCommand,
  explore: async () => (await import('./commands/explore.ts')).exploreCommand,
};

async function help(): Promise<string> {
  const lines = ['usage: worldsplat <command> [options]', '', 'commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${(await load()).summary}`);
  lines.push('', "Run 'worldsplat <command> --help' for a command's options.");
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help()) + '\n');
    return name ? 0 : 2;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`worldsplat: ${errorLine(`expected a command (${Object.keys(COMMANDS).join(', ')}), found '${name}'`)}\n`);
    return 2;
  }
  const command = await COMMANDS[name]();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    const parsed = parseCommandLine(rest, command.options);
    await command.run(parsed.positionals, parsed.values as Record<string, string | boolean | undefined>);
    return 0;
  } catch (error) {
    const message = errorLine((error as Error).message);
    if (error instanceof UsageError) {
      process.stderr.write(`worldsplat ${name}: ${message}\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`worldsplat ${name}: ${message}\n`);
    return 1;
  }
}
