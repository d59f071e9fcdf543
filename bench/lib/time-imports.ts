import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import { sql as dsql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { createApiToken } from '../../server/auth/tokens';
import { importExport } from '../../server/imports/imports';
import { wallClock } from '../../server/time/clock';
import { log, seconds } from './config';
import { writeStrongExport } from './import-file';
import { postPathologicalImports } from './pathological-imports';

export type ImportTiming = Awaited<ReturnType<typeof timeImports>>['imports'];

/**
 * A Strong export of `sets` sets, read by csv-parse alone (the floor), imported in this process (peak memory),
 * and posted to the app as a lifter would (the target); then the probe's pathological files over HTTP.
 */
export async function timeImports(
  db: Db,
  app: { url: string; pid: number },
  sets: number,
  stopAll: (() => Promise<void> | void)[],
  problems: string[],
) {
  log(`import: a ${sets}-set Strong export`);
  const exported = writeStrongExport(sets);
  stopAll.push(() => rmSync(exported.file, { force: true }));
  let t = performance.now();
  let parsedRows = 0;
  for await (const _ of createReadStream(exported.file).pipe(parseCsv({ from_line: 2 }))) parsedRows++;
  const parseSeconds = seconds(performance.now() - t);
  await db.execute(
    dsql`insert into users (id, role) values ('import-bench-1', 'lifter'), ('import-bench-2', 'lifter')`,
  );
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 10);
  t = performance.now();
  const inProcess = await importExport(db, 'import-bench-1', () => createReadStream(exported.file), {
    now: wallClock(),
    unit: 'kg',
  });
  const inProcessSeconds = seconds(performance.now() - t);
  clearInterval(sampler);
  const importToken = await createApiToken(db, 'import-bench-2', 'bench');
  const body = readFileSync(exported.file);
  t = performance.now();
  const posted = await fetch(`${app.url}/api/v1/imports?unit=kg`, {
    method: 'POST',
    headers: { authorization: `Bearer ${importToken}`, 'content-type': 'text/csv' },
    body,
  });
  const postedReport = (await posted.json()) as { sets?: { new: number } };
  const httpSeconds = seconds(performance.now() - t);
  const imports = {
    sets: exported.sets,
    megabytes: body.length / 2 ** 20,
    parseSeconds,
    inProcessSeconds,
    httpSeconds,
    peakRssGrowthMb: (rssPeak - rssBefore) / 2 ** 20,
  };
  if (parsedRows !== exported.sets) problems.push(`csv-parse read ${parsedRows} rows of ${exported.sets}`);
  if (inProcess.sets.new !== exported.sets)
    problems.push(`the import created ${inProcess.sets.new} sets of ${exported.sets}`);
  if (posted.status !== 201 || postedReport.sets?.new !== exported.sets) {
    problems.push(`POST /imports answered ${posted.status} with ${JSON.stringify(postedReport).slice(0, 200)}`);
  }
  log(
    `  ${exported.sets} sets (${imports.megabytes.toFixed(1)} MB): csv-parse alone ${parseSeconds.toFixed(2)} s, ` +
      `import in process ${inProcessSeconds.toFixed(2)} s (peak RSS +${imports.peakRssGrowthMb.toFixed(0)} MB), over HTTP ${httpSeconds.toFixed(2)} s`,
  );
  log('import: the pathological files of issue 29, over HTTP');
  const pathological = await postPathologicalImports(app.url, importToken, app.pid);
  for (const p of pathological) {
    if (p.status !== 422) problems.push(`the pathological import "${p.name}" answered ${p.status}, not 422`);
    log(`  ${p.name}: ${p.status} in ${p.seconds.toFixed(2)} s, server RSS +${p.peakRssGrowthMb.toFixed(0)} MB`);
  }
  return { imports, pathological };
}
