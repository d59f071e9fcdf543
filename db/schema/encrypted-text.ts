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

/**
 * Free text (notes, names) is stored encrypted: a raw SELECT shows only the sealed envelope; reads through drizzle
 * return the plain text. Never filter or sort by such a column: every write seals it differently.
 */
export const encryptedText = customType<{ data: string; driverData: string }>({
  dataType: () => 'text',
  toDriver: sealForDriver,
  fromDriver: openFromDriver,
});

/** True for columns declared with `encryptedText` (the key rotation and the tests find them this way). */
export function isEncryptedColumn(column: Column): boolean {
  return is(column, PgCustomColumn) && (column as unknown as { mapTo?: unknown }).mapTo === sealForDriver;
}
