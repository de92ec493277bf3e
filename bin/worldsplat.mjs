#!/usr/bin/env node
// The `worldsplat` command. The CLI is TypeScript; tsx compiles it on the fly so that `npx worldsplat`
// works right after `npm install`, with no build step to remember.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
