/** `npm run db:seed`: migrates, then writes the demo data unless it is already there. */

import { openDatabaseFromEnv } from '@/server/db';
import { DEMO_SIMULATION, seedDemo } from '@/server/demo/seed';
import { wallClock } from '@/server/time/clock';

export async function runSeed(): Promise<void> {
  const database = await openDatabaseFromEnv({ migrate: true });
  try {
    const result = await seedDemo(database.db, {
      today: wallClock(),
      simulated: DEMO_SIMULATION,
      onProgress: (step) => console.log(`  seeding ${step} …`),
    });
    if (!result.seeded) {
      console.log('Demo data already present; nothing written.');
      return;
    }
    console.log(
      'Demo data written:',
      Object.entries(result.counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', '),
    );
    console.log('\nAPI tokens for the demo users (shown once; create more with `npm run token:create -- --user ID`):');
    for (const t of result.tokens) console.log(`  ${t.userId.padEnd(10)} ${t.token}`);
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runSeed();
