import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { parse as parseLine } from 'csv-parse/sync';
import { MAX_NOTES } from '@/server/contracts/common';
import { type Detected, detectFormat } from './detect';
import { fitnotesReader } from './fitnotes';
import { hevyReader } from './hevy';
import { beyondStrength, outOfBounds, type ReadRow } from './imported-set';
import { liftosaurReader } from './liftosaur';
import { strongReader } from './strong';

/**
 * Reads an export row by row, streamed through `csv-parse` (memory bounded whatever the file's size): the header
 * decides the format and layout, then each record becomes a set, a skipped row or an invalid one, with its line.
 */
export class UnknownFormatError extends Error {}
export class UnitRequiredError extends Error {}
/** A line longer than MAX_LINE_BYTES: refused rather than held in memory, whatever the options. */
export class LineTooLongError extends Error {
  constructor(readonly line: number) {
    super(`line ${line} is longer than ${MAX_LINE_BYTES / 1024} KiB`);
  }
}

/**
 * The longest line (a whole record, quoted newlines included) read; the longest real one seen is a Hevy note of
 * a few KiB. Memory stays bounded whatever the file holds.
 */
const MAX_LINE_BYTES = 64 * 1024;

/** The file stops being CSV (a quote never closed): nothing after it can be trusted, whatever the options. */
export class MalformedCsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ExportReader {
  detected: Detected;
  rows: AsyncIterable<ReadRow>;
}

async function firstLine(chunks: AsyncIterator<Buffer>): Promise<{ header: string; rest: Buffer[] }> {
  const seen: Buffer[] = [];
  for (;;) {
    const { value, done } = await chunks.next();
    if (done) break;
    seen.push(value);
    const text = Buffer.concat(seen).toString('utf8');
    const end = text.search(/\r?\n/);
    if (end >= 0) return { header: text.slice(0, end), rest: seen };
    if (text.length > 64 * 1024) break;
  }
  return { header: Buffer.concat(seen).toString('utf8'), rest: seen };
}

/**
 * A record that is a whole line quoted as one field (`"2018-06-27 16:26:53;""B"";""Squat"";1;15;5;;0;;"` in a real
 * 2018 Strong export): the line inside, read as the record it was meant to be.
 */
function unwrapped(record: string[], detected: Detected): string[] {
  const only = record.length === 1 && detected.columns.length > 1 ? record[0]! : undefined;
  if (!only?.includes(detected.delimiter)) return record;
  try {
    return (
      (
        parseLine(only, { delimiter: detected.delimiter, relax_quotes: true, relax_column_count: true }) as string[][]
      )[0] ?? record
    );
  } catch {
    return record;
  }
}

export async function readExport(
  source: AsyncIterable<Buffer | Uint8Array | string>,
  opts: { unit?: 'kg' | 'lb'; now: Date },
): Promise<ExportReader> {
  const chunks = (async function* () {
    for await (const c of source) yield Buffer.from(c as Uint8Array);
  })();
  const { header, rest } = await firstLine(chunks);
  const detected = detectFormat(header);
  if (!detected) throw new UnknownFormatError('the header is not one of Strong, Hevy, FitNotes or Liftosaur');
  const reader =
    detected.format === 'strong'
      ? strongReader(detected, opts.unit)
      : detected.format === 'hevy'
        ? hevyReader(detected)
        : detected.format === 'fitnotes'
          ? fitnotesReader(detected)
          : liftosaurReader(detected);
  if (!reader.statesUnit && !opts.unit) throw new UnitRequiredError('the file states no unit');

  const parser = parse({
    delimiter: detected.delimiter,
    bom: true,
    from_line: 2,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
    max_record_size: MAX_LINE_BYTES,
  });
  // pipeline, not pipe: an error of the source (a body past its limit) reaches the parser and so the reader.
  pipeline(
    Readable.from(
      (async function* () {
        yield* rest;
        yield* chunks;
      })(),
    ),
    parser,
    () => {},
  );
  type Parsed = { record: string[]; info: { lines: number }; raw: string };
  const rows = (async function* () {
    const parsed = (async function* () {
      try {
        yield* parser as AsyncIterable<Parsed>;
      } catch (err) {
        if (err instanceof CsvError && err.code === 'CSV_MAX_RECORD_SIZE') {
          throw new LineTooLongError(Number(err.lines ?? 0));
        }
        if (err instanceof CsvError) throw new MalformedCsvError(Number(err.lines ?? 0), err.message);
        throw err;
      }
    })();
    for await (const { record, info, raw } of parsed) {
      // The record's first line (a quoted note may span several): where a person looks for it in the file.
      const newlines = raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0;
      const line = info.lines - newlines;
      if (raw.includes('\u0000')) {
        yield { invalid: { line, message: 'the row holds a NUL character (is this a binary file?)' } };
        continue;
      }
      const row = reader.read(unwrapped(record, detected), line);
      if (!('set' in row)) {
        yield row;
        continue;
      }
      const outside = outOfBounds(row.set, opts.now);
      const endurance = beyondStrength(row.set);
      if (outside) yield { invalid: { line, message: outside } };
      else if (endurance) yield { skipped: { line, reason: endurance } };
      else if ((row.set.notes?.length ?? 0) > MAX_NOTES) {
        // The API's own bound on notes (server/contracts/common.ts).
        const cut = { ...row.set, notes: row.set.notes!.slice(0, MAX_NOTES) };
        yield { set: cut, warning: `the note was cut to ${MAX_NOTES} characters (it had ${row.set.notes!.length})` };
      } else yield row;
    }
  })();
  return { detected, rows };
}
