/**
 * Playwright's web server: a fresh embedded database with the demo data, then the production build on it.
 * The folder is private to this run and removed on exit.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { openDatabase } from '../db/client';
import { users } from '../db/schema';
import { startNext } from '../scripts/lib/next-server';
import { linkIdentity } from '../server/auth/identities';
import { createApiToken } from '../server/auth/tokens';
import { databaseOptions } from '../server/db';
import { DEMO_LIFTER_ID } from '../server/demo/demo-data';
import { DEMO_SIMULATION, seedDemo } from '../server/demo/seed';
import { testNow } from '../tests/helpers/clock';
import { NEW_LIFTER_ID } from './demo';
import { OIDC_CLIENT, startOidcProvider } from './oidc-provider';

const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = `.data/e2e-${port}`;
rmSync(dataDir, { recursive: true, force: true });

const database = await openDatabase(databaseOptions({ databaseUrl: undefined, pgliteDataDir: dataDir, migrate: true }));
const seeded = await seedDemo(database.db, { today: testNow(), simulated: DEMO_SIMULATION });
// A lifter with no training at all, for the dashboard's empty states.
await database.db.insert(users).values({ id: NEW_LIFTER_ID, role: 'lifter', displayName: 'New Lifter' });
seeded.tokens.push({ userId: NEW_LIFTER_ID, token: await createApiToken(database.db, NEW_LIFTER_ID, 'e2e') });
// The demo tokens are shown once; the specs read them from here to call the API over HTTP.
writeFileSync(`${dataDir}.tokens.json`, JSON.stringify(seeded.tokens));

// The identity provider people sign in with (OpenID Connect), started before the app that discovers it. Its
// account `user-123` is the demo lifter, as an admin would link it: a first sign-in never takes an account over.
const oidc = await startOidcProvider(`http://127.0.0.1:${port}`);
await linkIdentity(database.db, { issuer: oidc.issuer, subject: DEMO_LIFTER_ID, userId: DEMO_LIFTER_ID, by: 'e2e' });
await database.close(); // PGlite: one process per folder; hand it to the server.

const server = await startNext({
  port,
  // A production build: demo sign-in must be asked for.
  env: {
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: OIDC_CLIENT.id,
    OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
    OIDC_NAME: 'E2E ID',
    OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/signin/oidc/callback`,
    PGLITE_DATA_DIR: dataDir,
    NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next-e2e',
    DEMO_SIGNIN: 'on',
    // One address signs in for every spec; the throttle itself is tested in tests/db/web-sessions.test.ts.
    SIGNIN_ATTEMPTS_PER_MINUTE: '0',
  },
});
console.log(`e2e server ready on ${server.url}`);

const shutdown = async () => {
  await server.stop();
  await oidc.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.tokens.json`, { force: true });
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
server.child.on('exit', (code) => process.exit(code ?? 1));
