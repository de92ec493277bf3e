import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from './errors.ts';
import { type Options, parseCommandLine } from './parse-options.ts';

const OPTIONS: Options = { output: { type: 'string', short: 'o' }, fov: { type: 'string' }, eye: { type: 'string' }, json: { type: 'boolean' } };

const failure = (args: string[], options = OPTIONS): string => {
  try {
    parseCommandLine(args, options);
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return (error as Error).message;
  }
  assert.fail(`accepted ${args.join(' ')}`);
};

test('usage errors are one line saying what was expected and what was found', () => {
  assert.equal(failure(['--frobnicate']), "expected one of the options --output (-o), --fov, --eye, --json, found '--frobnicate'");
  assert.equal(failure(['-x'], {}), "expected no options, found '-x'");
  assert.equal(failure(['a.jpg', '--fov']), '--fov: expected a value, found none');
  assert.equal(failure(['-o']), '--output: expected a value, found none');
  assert.equal(failure(['--fov', '--json']), "--fov: expected a value, found another option after it (write --fov=VALUE for a value starting with '-')");
  assert.equal(failure(['--json=1']), '--json: expected no value (it is a switch), found one');
});

test('a negative number after an option that takes a value is its value', () => {
  const { values, positionals } = parseCommandLine(['w.ply', '--eye', '-1,0.5,-2', '--fov', '-5', '-o', '-.5', '--', '--fov', '-1'], OPTIONS);
  assert.deepEqual({ ...values }, { eye: '-1,0.5,-2', fov: '-5', output: '-.5' });
  assert.deepEqual(positionals, ['w.ply', '--fov', '-1']);
  // a switch is never given the next argument, and a word starting with '-' is still an option
  assert.match(failure(['--json', '-1']), /found '-1'/);
  assert.match(failure(['--fov', '-x']), /--fov: expected a value, found another option/);
});
