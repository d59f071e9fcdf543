/**
 * Which app wrote an export, and which of its layouts, from the header row alone (matched by column name, never by
 * position). Strong has shipped comma and semicolon layouts, units in the column name or per row, and localized
 * headers; Hevy, FitNotes and Liftosaur one layout each (with variants of the unit columns).
 */
import type { ImportFormat } from '@/db/schema/enums';

export interface Detected {
  format: ImportFormat;
  delimiter: ',' | ';';
  /** A short description of the layout, for the import report. */
  layout: string;
  /** The header's column names, BOM and quotes removed, trimmed. */
  columns: string[];
}

/** Splits a header line on the delimiter outside quotes. */
function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out.map((c) => c.trim());
}

const has = (columns: string[], ...names: string[]) => names.every((n) => columns.includes(n));

/** A header cell as matched: lower case, a typographic apostrophe read as a plain one. */
export const columnKey = (name: string) => name.toLowerCase().replace(/\u2019/g, "'");

// Strong's two key columns in its English, German and French editions.
const STRONG_SET_ORDER = ['set order', 'reihenfolge festlegen', 'ordre de la série'];
const STRONG_EXERCISE = ['exercise name', 'name der übung', "nom de l'exercice"];

export function detectFormat(headerLine: string): Detected | undefined {
  const line = headerLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const delimiter = (line.match(/;/g)?.length ?? 0) > (line.match(/,/g)?.length ?? 0) ? ';' : ',';
  const columns = splitHeader(line, delimiter);
  const lower = columns.map(columnKey);
  const d = (format: ImportFormat, layout: string): Detected => ({ format, delimiter, layout, columns });

  if (has(lower, 'title', 'start_time', 'exercise_title', 'set_index')) return d('hevy', 'hevy');
  if (has(lower, 'workout datetime', 'exercise', 'completed reps')) return d('liftosaur', 'liftosaur');
  if (has(lower, 'date', 'exercise', 'category', 'reps')) return d('fitnotes', 'fitnotes');
  const setOrder = STRONG_SET_ORDER.some((name) => lower.includes(name));
  if (setOrder && STRONG_EXERCISE.some((name) => lower.includes(name))) {
    const unit = lower.find((c) => /^weight \((kg|lbs)\)$/.test(c) || c === 'kg' || c === 'lb' || c === 'lbs');
    const perRow = lower.includes('weight unit');
    const unitNote = unit ? `unit in the header (${unit})` : perRow ? 'unit per row' : 'no unit';
    return d('strong', `strong, ${delimiter === ';' ? 'semicolon' : 'comma'}, ${columns.length} columns, ${unitNote}`);
  }
  return undefined;
}
