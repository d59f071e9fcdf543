// The benchmark's "framework ceiling": the same build, a route that reads and parses the JSON body and answers
// 200 without touching the database. Off (404) unless the server was started with BENCH_ROUTES=on.
export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  if (process.env.BENCH_ROUTES !== 'on') {
    return Response.json(
      { error: { code: 'not_found', message: 'No API route at /api/bench/noop.' } },
      { status: 404 },
    );
  }
  const body: unknown = await request.json().catch(() => null);
  return Response.json({ ok: body !== null }, { status: 200, headers: { 'cache-control': 'no-store' } });
}
