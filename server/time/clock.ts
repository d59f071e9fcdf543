/**
 * The server's one reading of the wall clock. Edges — the REST wrapper, tRPC's context, cron routes, scripts —
 * read it once per request or run and pass the instant down; services take `now` as an argument, so a test
 * gives them whatever instant it needs. Elapsed time (time budgets, durations) is `performance.now()`, which
 * no clock change moves. A test checks that nothing else reads the date (tests/unit/clock-reads.test.ts).
 */
export function wallClock(): Date {
  return new Date();
}
