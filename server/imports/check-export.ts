import type { ImportFormat } from '@/db/schema/enums';
import { IMPORT_MAX_FAULTS, IMPORT_MAX_WARNINGS } from '@/server/contracts/imports';
import { DomainError, invalid } from '@/server/errors';
import type { ImportedSet } from './imported-set';
import {
  type ExportReader,
  LineTooLongError,
  MalformedCsvError,
  readExport,
  UnitRequiredError,
  UnknownFormatError,
} from './read-export';

/** Where an export comes from: opened once to check it, and once more to write it. */
export type ImportSource = () => AsyncIterable<Buffer | Uint8Array | string>;

/**
 * What one import may cost, so that no file — 5 million empty rows, one 20 MB line — holds a core, memory or a
 * transaction for long: at most `rows` data rows, `skippedRows` of them not sets, `unreadableRows` skipped as
 * unreadable (`skip_invalid`), all within `timeBudgetMs`. Reaching one refuses the import (422 `import_limit`,
 * naming it), nothing written. Lines are bounded by the reader (MAX_LINE_BYTES) whatever the limits.
 */
export interface ImportLimits {
  rows: number;
  skippedRows: number;
  unreadableRows: number;
  timeBudgetMs: number;
}

/** The API's: a 20 MB export of any of the four apps holds well under 500,000 rows. */
export const HTTP_IMPORT_LIMITS: ImportLimits = {
  rows: 500_000,
  skippedRows: 250_000,
  unreadableRows: 10_000,
  timeBudgetMs: 60_000,
};

export interface ReadOptions {
  now: Date;
  format?: ImportFormat;
  unit?: 'kg' | 'lb';
  skipInvalid?: boolean;
  limits?: ImportLimits;
}

/** What reading the whole file found, before anything is written. */
export interface CheckedExport {
  format: ImportFormat;
  layout: string;
  skipped: number;
  skippedReasons: Record<string, number>;
  warnings: { line: number; message: string }[];
}

function importLimit(cap: string, message: string): DomainError {
  return new DomainError('unprocessable', 'import_limit', `Nothing was imported: ${message}.`, [
    { path: cap, message },
  ]);
}

/** Stops an import that runs past its time budget (the caller's transaction, if any, rolls back). */
export function deadline(limits: ImportLimits | undefined): () => void {
  if (!limits) return () => {};
  const end = performance.now() + limits.timeBudgetMs;
  return () => {
    if (performance.now() > end) {
      throw importLimit(
        'time',
        `the import took longer than ${limits.timeBudgetMs / 1000} s here; split the file, or import it with npm run import`,
      );
    }
  };
}

function readError(err: unknown, format: ImportFormat | undefined): never {
  if (err instanceof UnknownFormatError) {
    throw new DomainError('invalid', 'unknown_format', `The file is not an export Overload reads: ${err.message}.`, [
      { path: format ? 'format' : 'body', message: err.message },
    ]);
  }
  if (err instanceof UnitRequiredError) {
    throw invalid('The file does not say whether its weights are kg or lb: send ?unit=kg or ?unit=lb.', [
      { path: 'unit', message: 'is required: the file states no unit' },
    ]);
  }
  if (err instanceof LineTooLongError) throw importLimit(`line ${err.line}`, err.message);
  if (err instanceof MalformedCsvError) {
    throw new DomainError(
      'unprocessable',
      'malformed_csv',
      `Nothing was imported: the file stops being CSV at line ${err.line} (${err.message}).`,
      [{ path: `line ${err.line}`, message: err.message }],
    );
  }
  throw err;
}

/** The file's reader, its format checked against the one asked for; its errors as the API answers them. */
export async function openExport(source: ImportSource, opts: ReadOptions): Promise<ExportReader> {
  const reader = await readExport(source(), { unit: opts.unit, now: opts.now }).catch((err) =>
    readError(err, opts.format),
  );
  const { format } = reader.detected;
  if (opts.format && opts.format !== format) {
    throw invalid(`The file is a ${format} export, not ${opts.format}.`, [
      { path: 'format', message: `is ${opts.format}, but the header is ${format}'s` },
    ]);
  }
  return reader;
}

/** Every set of the file, in order, with the warning of each that was changed to fit: what the write pass stages. */
export async function* setsOf(reader: ExportReader): AsyncGenerator<{ set: ImportedSet; warning?: string }> {
  try {
    for await (const row of reader.rows) if ('set' in row) yield row;
  } catch (err) {
    readError(err, undefined);
  }
}

/**
 * The check pass: reads the whole file, streamed, holding only counts and the first faults and warnings. Refuses
 * (nothing written, no transaction opened) a file with unreadable rows unless `skipInvalid` (422 listing the first
 * faulty lines), or one past a limit (422 `import_limit`).
 */
export async function checkExport(source: ImportSource, opts: ReadOptions): Promise<CheckedExport> {
  const reader = await openExport(source, opts);
  const limits = opts.limits;
  const checkTime = deadline(limits);
  const warnings: { line: number; message: string }[] = [];
  const faults: { line: number; message: string }[] = [];
  const skippedReasons: Record<string, number> = {};
  const count = { rows: 0, skipped: 0, unreadable: 0, faults: 0 };
  let stoppedEarly = false;
  const warn = (line: number, message: string) => {
    if (warnings.length < IMPORT_MAX_WARNINGS) warnings.push({ line, message });
  };
  const skip = (line: number, reason: string, message: string) => {
    count.skipped++;
    skippedReasons[reason] = (skippedReasons[reason] ?? 0) + 1;
    warn(line, message);
  };

  try {
    for await (const row of reader.rows) {
      if (++count.rows % 1024 === 0) checkTime();
      if (limits && count.rows > limits.rows) throw importLimit('rows', `the file has more than ${limits.rows} rows`);
      if ('invalid' in row) {
        count.faults++;
        if (faults.length < IMPORT_MAX_FAULTS) faults.push(row.invalid);
        if (!opts.skipInvalid) {
          // Refused anyway: list the first faulty lines, then stop reading.
          if (faults.length >= IMPORT_MAX_FAULTS) {
            stoppedEarly = true;
            break;
          }
          continue;
        }
        if (limits && ++count.unreadable > limits.unreadableRows) {
          throw importLimit('unreadable rows', `more than ${limits.unreadableRows} rows cannot be read`);
        }
        skip(row.invalid.line, 'unreadable', `skipped: ${row.invalid.message}`);
      } else if ('skipped' in row) {
        skip(row.skipped.line, row.skipped.reason, `not a set: ${row.skipped.reason}`);
      } else if (row.warning) {
        warn(row.set.line, row.warning);
      }
      if (limits && count.skipped > limits.skippedRows) {
        throw importLimit('skipped rows', `more than ${limits.skippedRows} rows are not sets`);
      }
    }
  } catch (err) {
    readError(err, opts.format);
  }
  checkTime();

  if (count.faults > 0 && !opts.skipInvalid) {
    const shown = faults.map((f) => `line ${f.line}: ${f.message}`).join('; ');
    throw new DomainError(
      'unprocessable',
      'unreadable_rows',
      `Nothing was imported: ${stoppedEarly ? `at least ${count.faults}` : count.faults} row(s) cannot be read (${shown}). Fix them, or send ?skip_invalid=true to import the rest.`,
      faults.map((f) => ({ path: `line ${f.line}`, message: f.message })),
    );
  }
  const { format, layout } = reader.detected;
  return { format, layout, skipped: count.skipped, skippedReasons, warnings };
}
