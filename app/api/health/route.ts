import { sql } from 'drizzle-orm';
import { NextResponse } from 'next/server';
import { rows } from '@/db/client';
import { getDatabase } from '@/server/db';

export const dynamic = 'force-dynamic';

/** Liveness plus a database round-trip: which engine is underneath and that it answers. */
export async function GET() {
  try {
    const { db, kind } = await getDatabase();
    await rows(db, sql`select 1 as ok`);
    return NextResponse.json({ ok: true, database: kind });
  } catch {
    return NextResponse.json(
      { ok: false, error: { code: 'database_unavailable', message: 'The database did not answer.' } },
      { status: 503 },
    );
  }
}
