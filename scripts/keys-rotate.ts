/**
 * `npm run keys:rotate`: re-seal every encrypted value with the current data key.
 *
 * With DATA_ENCRYPTION_KEY (production): set the new key as DATA_ENCRYPTION_KEY and the old one in
 * DATA_ENCRYPTION_PREVIOUS_KEYS, restart the app, then run this; afterwards the old key can be dropped.
 * With the generated key file (embedded default): `npm run keys:rotate -- --new-key` generates the new key
 * (the old one stays in the file, still readable) and re-seals everything (stop `npm run dev` first).
 */
import { parseArgs } from 'node:util';
import { openDatabaseFromEnv } from '@/server/db';
import { env } from '@/server/env';
import { generateKey } from '@/server/privacy/encryption';
import { loadKeyring, readKeyFile, setKeyring, writeKeyFile } from '@/server/privacy/keyring';
import { resealAll } from '@/server/privacy/rotate-keys';
import { progressReporter } from './lib/progress';

const { values } = parseArgs({ options: { 'new-key': { type: 'boolean', default: false } } });
const e = env();
if (values['new-key']) {
  if (e.DATA_ENCRYPTION_KEY) {
    console.error(
      'DATA_ENCRYPTION_KEY is set: make the new key yourself (`openssl rand -base64 32`), set it as DATA_ENCRYPTION_KEY, ' +
        'move the old one to DATA_ENCRYPTION_PREVIOUS_KEYS, restart the app, then run `npm run keys:rotate`.',
    );
    process.exit(2);
  }
  loadKeyring(); // creates the key file if this is the first key
  writeKeyFile(e.DATA_ENCRYPTION_KEY_FILE, [generateKey(), ...readKeyFile(e.DATA_ENCRYPTION_KEY_FILE)]);
  console.log(`New data key written to ${e.DATA_ENCRYPTION_KEY_FILE}; older keys kept there for reading.`);
}
const ring = loadKeyring();
setKeyring(ring);
console.log(`Current key ${ring.current.id}; also readable: ${ring.previous.map((k) => k.id).join(', ') || 'none'}`);

const database = await openDatabaseFromEnv();
try {
  const progress = progressReporter('re-sealing values');
  const result = await resealAll(database.db, ring, progress.update);
  progress.stop();
  console.log(`Re-sealed ${result.resealed} values under key ${ring.current.id}.`);
  for (const [column, n] of Object.entries(result.byColumn)) console.log(`  ${column}: ${n}`);
} finally {
  await database.close();
}
