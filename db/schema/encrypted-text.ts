import { type Column, is } from 'drizzle-orm';
import { customType, PgCustomColumn } from 'drizzle-orm/pg-core';

/**
 * How encrypted columns are sealed for storage and opened on read. The database layer knows no keys: the app
 * hands in a cipher (`server/db.ts`, from the data keys in `server/privacy/keyring.ts`) before any query.
 */
export interface ColumnCipher {
  seal(plain: string): string;
  open(stored: string): string;
}

// On globalThis: Next may load this module once per route bundle, and every copy must see the same cipher.
const holder = globalThis as typeof globalThis & { __overloadColumnCipher?: ColumnCipher };

export function setColumnCipher(cipher: ColumnCipher | undefined): void {
  holder.__overloadColumnCipher = cipher;
}

function cipher(): ColumnCipher {
  const installed = holder.__overloadColumnCipher;
  if (!installed) {
    throw new Error(
      'No column cipher installed: open the database through server/db.ts, which installs the data keys.',
    );
  }
  return installed;
}

function sealForDriver(value: string): string {
  return cipher().seal(value);
}
function openFromDriver(value: string): string {
  return cipher().open(value);
}

function sealJsonForDriver(value: unknown): string {
  return cipher().seal(JSON.stringify(value));
}
function openJsonFromDriver(value: string): unknown {
  return JSON.parse(cipher().open(value));
}

/** A value sealed as an encrypted column stores it: for statements (and bulk loads) that write such a column themselves. */
export const sealText: (value: string) => string = sealForDriver;
export const sealJson: (value: unknown) => string = sealJsonForDriver;

/**
 * Free text (notes, names) is stored encrypted: a raw SELECT shows only the sealed envelope; reads through drizzle
 * return the plain text. Never filter or sort by such a column: every write seals it differently.
 */
export const encryptedText = customType<{ data: string; driverData: string }>({
  dataType: () => 'text',
  toDriver: sealForDriver,
  fromDriver: openFromDriver,
});

/**
 * Personal data held as JSON (a profile snapshot, an instrument payload, a number such as an age): stored as the
 * encrypted text of its JSON, read back as the value. SQL cannot see inside it: a value a statement must read
 * gets a typed column of its own.
 */
export function encryptedJson<T>(name: string) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: sealJsonForDriver,
    fromDriver: (value) => openJsonFromDriver(value) as T,
  })(name);
}

/** True for columns declared with `encryptedText` or `encryptedJson` (the key rotation and the tests find them so). */
export function isEncryptedColumn(column: Column): boolean {
  const mapTo = (column as unknown as { mapTo?: unknown }).mapTo;
  return is(column, PgCustomColumn) && (mapTo === sealForDriver || mapTo === sealJsonForDriver);
}
