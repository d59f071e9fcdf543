import type { Db } from '@/db/client';
import type { Principal } from '@/server/auth/principal';
import { createCaller } from '@/server/trpc/root';

/**
 * The dashboard's tRPC procedures, called as a signed-in principal (a session cookie), at `now` — `testNow()` where
 * the clock matters, so `npm run test:dates` finds the file by its import of the clock helper.
 */
export function dashboardCaller(db: Db, principal: Principal, now: Date) {
  return createCaller({ db, caller: { principal, kind: 'session' }, now });
}
