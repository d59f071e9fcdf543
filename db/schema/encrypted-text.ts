import { is, type Column } from 'drizzle-orm';
import { customType, PgCustomColumn } from 'drizzle-orm/pg-core';
import { decrypt, encrypt } from '../../server/privacy/encryption';
import { keyring } from '../../server/privacy/keyring';

/** Seals free text for storage and opens it on read: the one place encryption at rest happens. */
function sealForDriver(value: string): string {
  return encrypt(value, keyring());
}
function openFromDriver(value: string): string {
  return decrypt(value, keyring());
}

/**
 * Free text (notes, names) is stored AES-256-GCM encrypted: a raw SELECT shows only `enc:v1:…`; reads through
 * drizzle return the plain text. Never filter or sort by such a column: every write seals it differently.
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
