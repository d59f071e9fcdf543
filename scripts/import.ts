/**
 * `npm run import -- --user USER_ID --file EXPORT.csv [--unit kg|lb] [--format strong|hevy|fitnotes|liftosaur]
 * [--skip-invalid]`: imports another app's export into a lifter's history, as `POST /api/v1/imports` does (no
 * size limit here), with a progress bar over the file's bytes. Exit 1 with the reasons when nothing was imported.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { users } from '@/db/schema';
import { IMPORT_FORMATS, type ImportFormat } from '@/db/schema/enums';
import { userIdField } from '@/server/contracts/common';
import { openDatabaseFromEnv } from '@/server/db';
import { DomainError } from '@/server/errors';
import { importExport } from '@/server/imports/imports';
import { wallClock } from '@/server/time/clock';
import { progressReporter } from './lib/progress';

const usage =
  'Usage: npm run import -- --user USER_ID --file EXPORT.csv [--unit kg|lb] [--format strong|hevy|fitnotes|liftosaur] [--skip-invalid]';
const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    file: { type: 'string' },
    unit: { type: 'string' },
    format: { type: 'string' },
    'skip-invalid': { type: 'boolean', default: false },
  },
});
const fail = (message: string, code = 2): never => {
  console.error(`${message}\n${usage}`);
  process.exit(code);
};
const user = userIdField.safeParse(values.user);
if (!user.success) fail(`--user ${values.user === undefined ? 'is required' : user.error.issues[0]?.message}`);
if (!values.file) fail('--file is required');
if (values.unit !== undefined && values.unit !== 'kg' && values.unit !== 'lb') fail('--unit must be kg or lb');
if (values.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(values.format)) {
  fail(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
}
let size = 0;
try {
  size = statSync(values.file!).size;
} catch {
  fail(`--file ${values.file} cannot be read`, 1);
}

const database = await openDatabaseFromEnv();
// Two passes over the file: checked first, then written (server/imports/imports.ts).
const progress = progressReporter('importing (bytes read, checked then written)');
try {
  const [found] = await database.db.select({ id: users.id }).from(users).where(eq(users.id, user.data!));
  if (!found) fail(`No user ${user.data}: create it first (npm run user:create).`, 1);
  let read = 0;
  const source = () => {
    const file = createReadStream(values.file!);
    file.on('data', (chunk) => {
      read += chunk.length;
      progress.update(read, 2 * size);
    });
    return file;
  };
  const report = await importExport(database.db, user.data!, source, {
    now: wallClock(),
    unit: values.unit as 'kg' | 'lb' | undefined,
    format: values.format as ImportFormat | undefined,
    skipInvalid: values['skip-invalid'],
    fileName: basename(values.file!),
  });
  progress.stop();
  const { sets } = report;
  console.log(`Imported ${report.format} (${report.layout}) as import ${report.import_id}:`);
  console.log(
    `  ${report.sessions} new sessions; sets: ${sets.new} new, ${sets.duplicate} already there, ${sets.skipped} skipped`,
  );
  for (const [reason, n] of Object.entries(report.skipped_reasons)) console.log(`  skipped ${n}: ${reason}`);
  console.log(`Undo with: curl -X DELETE -H "Authorization: Bearer $TOKEN" .../api/v1/imports/${report.import_id}`);
} catch (err) {
  progress.stop();
  if (!(err instanceof DomainError)) throw err;
  console.error(err.message);
  for (const issue of err.issues ?? []) console.error(`  ${issue.path}: ${issue.message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
