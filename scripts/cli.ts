/**
 * What every command-line entry point shares: errors become one line on stderr and a non-zero
 * exit code, never a stack trace (set TFJS_KERAS_DEBUG=1 to see one).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BACKEND_NAMES } from '../lib/backends';
import { KerasError, firstLineOf } from '../lib/errors';
import { formatChoices } from '../lib/format';
import { isZooName, ZOO_NAMES, type ZooName } from '../models';

/** Thrown for bad command-line usage; printed as one line, exit code 1. */
export class UsageError extends KerasError {}

/** Runs a command's main function, turning every failure into one line and exit code 1. */
export function runCli(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      const known = error instanceof KerasError;
      process.stderr.write(`error: ${firstLineOf(error)}\n`);
      if (process.env['TFJS_KERAS_DEBUG'] === '1' && error instanceof Error) {
        process.stderr.write(`${error.stack ?? ''}\n`);
      } else if (!known) {
        process.stderr.write('(an unexpected error; run with TFJS_KERAS_DEBUG=1 to see where it happened)\n');
      }
      const requested = (error as { exitCode?: unknown }).exitCode;
      process.exitCode = typeof requested === 'number' ? requested : 1;
    });
}

/** yargs set up the same way for every command: strict flags, one-line failures. */
export function commandLine(usage: string): Argv {
  return yargs(hideBin(process.argv))
    .scriptName('tfjs-keras')
    .usage(usage)
    .strict()
    .help()
    .version(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message: string | undefined, error: Error | undefined) => {
      throw error ?? new UsageError(message ?? 'invalid arguments (see --help)');
    });
}

/**
 * The command line of a command on a finished run (evaluate, predict, report, visualize): the
 * `<run-dir>` positional and `--backend`; `command` names any further positionals.
 */
export function runFolderCommandLine(usage: string, command = '$0 <run-dir>'): Argv<{ 'run-dir': string | undefined; backend: string }> {
  return commandLine(usage)
    .command(command, false)
    .positional('run-dir', { type: 'string', describe: 'a folder made by npm run train' })
    .option('backend', { type: 'string', default: 'auto', describe: BACKEND_NAMES.join(', ') });
}

/** Checks a model name against the zoo, listing the zoo when it is not there. */
export function zooName(name: unknown): ZooName {
  const text = String(name);
  if (!isZooName(text)) {
    throw new UsageError(`unknown model '${text}'; the zoo has ${formatChoices(ZOO_NAMES)}`);
  }
  return text;
}

/** Checks one numeric flag, for messages like `--epochs must be a positive integer, got -1`. */
export function checkFlag(flag: string, value: unknown, rule: 'positive integer' | 'integer' | 'positive number' | 'non-negative number' | 'fraction' | 'open fraction'): number {
  const n = typeof value === 'number' ? value : Number.NaN;
  const valid = {
    'positive integer': Number.isInteger(n) && n > 0,
    integer: Number.isInteger(n),
    'positive number': Number.isFinite(n) && n > 0,
    'non-negative number': Number.isFinite(n) && n >= 0,
    fraction: Number.isFinite(n) && n >= 0 && n < 1,
    'open fraction': Number.isFinite(n) && n > 0 && n < 1,
  }[rule];
  if (!valid) {
    const expected = {
      'positive integer': 'a positive integer',
      integer: 'an integer',
      'positive number': 'a positive number',
      'non-negative number': 'a number >= 0',
      fraction: 'a number in [0, 1)',
      'open fraction': 'a number in (0, 1)',
    }[rule];
    throw new UsageError(`--${flag} must be ${expected}, got ${String(value)}`);
  }
  return n;
}

/** Checks a flag against its choices. */
export function checkChoice<T extends string>(flag: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be ${formatChoices(choices)}, got '${String(value)}'`);
  }
  return value as T;
}
