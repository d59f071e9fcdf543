import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';

/**
 * A CLI's flags parsed and checked before anything heavy loads: the first problem and the usage on stderr, exit 1.
 * The schema sees the raw strings (`z.coerce` for numbers) and says which flag is wrong.
 */
export function parseFlags<S extends z.ZodType>(
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
  usage: string,
): z.infer<S> {
  let values: unknown;
  try {
    ({ values } = parseArgs({ options }));
  } catch (err) {
    failFlags((err as Error).message, usage);
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) failFlags(parsed.error.issues[0]!.message, usage);
  return parsed.data;
}

export function failFlags(message: string, usage: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(1);
}

/** A whole-number flag within bounds, each refusal naming the flag. */
export function wholeFlag(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce
    .number({ error: `--${name} must be a number` })
    .int(`--${name} must be a whole number`)
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`);
}
