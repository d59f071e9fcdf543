import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { coachInvites, users } from '@/db/schema';
import { call, del, get, post } from '../helpers/api';
import { msAgo, testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';

const put = (path: string, json: unknown, token: string | null) => call('PUT', path, { json, token });
const trpc = (path: string, input: unknown, token: string) => call('POST', `/api/trpc/${path}`, { json: input, token });
const trpcGet = (path: string, token: string) =>
  call('GET', `/api/trpc/${path}?input=${encodeURIComponent('{}')}`, { token });

describeEachDatabase('coach invitations and links', (ctx) => {
  let coach: string;
  let otherCoach: string;
  let athlete: string;
  let second: string;
  const invite = async (token = coach) => {
    const res = await post('/api/v1/coaching/invites', {}, token);
    expect(res.status).toBe(201);
    return res.body as { invite_id: string; code: string; expires_at: string };
  };
  const athleteAnalytics = (token: string) => get('/api/v1/analytics?user_id=athlete-1', token);

  beforeAll(async () => {
    coach = await createUser(ctx.db, 'coach-1', { role: 'coach' });
    otherCoach = await createUser(ctx.db, 'coach-2', { role: 'coach' });
    athlete = await createUser(ctx.db, 'athlete-1', { analyticsOptIn: true });
    second = await createUser(ctx.db, 'athlete-2');
  });

  it('a coach invites; the athlete accepts; the coach reads the athlete from then on; the log says so', async () => {
    expect((await athleteAnalytics(coach)).status).toBe(403);
    const asked = testNow().getTime();
    const inv = await invite();
    const answered = testNow().getTime();
    expect(inv.code).toMatch(/^ovi_/);
    // Seven days from when the server received the request.
    expect(Date.parse(inv.expires_at)).toBeGreaterThanOrEqual(asked + 7 * 86_400_000);
    expect(Date.parse(inv.expires_at)).toBeLessThanOrEqual(answered + 7 * 86_400_000);
    const accepted = await post('/api/v1/coaching/accept', { code: inv.code }, athlete);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toEqual({ coach_id: 'coach-1', linked: true });
    expect((await athleteAnalytics(coach)).status).toBe(200);
    expect((await get('/api/v1/coaching/links', athlete)).body).toEqual({ coaches: ['coach-1'], athletes: [] });
    expect((await get('/api/v1/coaching/links', coach)).body).toEqual({ coaches: [], athletes: ['athlete-1'] });
    const log = await get('/api/v1/coaching/log', athlete);
    expect(log.body.events).toEqual([
      expect.objectContaining({
        coach_id: 'coach-1',
        action: 'linked',
        actor_id: 'athlete-1',
        via: `invite ${inv.invite_id}`,
      }),
    ]);
    const listed = await get('/api/v1/coaching/invites', coach);
    expect(listed.body.invites[0]).toMatchObject({ invite_id: inv.invite_id, accepted_by: 'athlete-1' });
    expect(JSON.stringify(listed.body)).not.toContain(inv.code);
  });

  it('an invitation cannot be replayed, used by its coach, used after revoking or expiry; unknown → 404', async () => {
    const used = await invite();
    expect((await post('/api/v1/coaching/accept', { code: used.code }, second)).status).toBe(201);
    for (const token of [second, athlete]) {
      const replay = await post('/api/v1/coaching/accept', { code: used.code }, token);
      expect(replay.status).toBe(410);
      expect(replay.body.error.issues[0].path).toBe('code');
    }
    const own = await invite();
    const self = await post('/api/v1/coaching/accept', { code: own.code }, coach);
    expect(self.status).toBe(400);
    expect(self.body.error.issues[0].path).toBe('code');

    const revoked = await invite();
    expect((await del(`/api/v1/coaching/invites/${revoked.invite_id}`, coach)).status).toBe(200);
    expect((await del(`/api/v1/coaching/invites/${revoked.invite_id}`, coach)).status).toBe(200);
    expect((await post('/api/v1/coaching/accept', { code: revoked.code }, athlete)).status).toBe(410);

    const expired = await invite(otherCoach);
    await ctx.db
      .update(coachInvites)
      .set({ expiresAt: msAgo(1000) })
      .where(eq(coachInvites.id, expired.invite_id));
    const late = await post('/api/v1/coaching/accept', { code: expired.code }, athlete);
    expect(late.status).toBe(410);
    expect(late.body.error.message).toMatch(/expired/);

    const before = await rowCounts(ctx.db);
    expect((await post('/api/v1/coaching/accept', { code: 'ovi_nope' }, athlete)).status).toBe(404);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('revoking: an accepted invitation → 409, another coach’s → 404, not an id → 400; lifters may not invite', async () => {
    const accepted = (await get('/api/v1/coaching/invites', coach)).body.invites.find(
      (i: { accepted_by: string | null }) => i.accepted_by,
    );
    expect((await del(`/api/v1/coaching/invites/${accepted.invite_id}`, coach)).status).toBe(409);
    const theirs = await invite(otherCoach);
    expect((await del(`/api/v1/coaching/invites/${theirs.invite_id}`, coach)).status).toBe(404);
    const bad = await del('/api/v1/coaching/invites/nope', coach);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('id');
    expect((await post('/api/v1/coaching/invites', {}, athlete)).status).toBe(403);
    expect((await get('/api/v1/coaching/invites', athlete)).status).toBe(403);
    const long = await post('/api/v1/coaching/invites', { expires_in_days: 31 }, coach);
    expect(long.status).toBe(400);
    expect(long.body.error.issues[0].path).toBe('expires_in_days');
    expect((await post('/api/v1/coaching/invites', {}, null)).status).toBe(401);
  });

  it('either side ends the link; the coach loses access at once; both ends are logged', async () => {
    const ended = await del('/api/v1/coaching/links/coach-1', athlete);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ athlete_id: 'athlete-1', coach_id: 'coach-1' });
    expect((await athleteAnalytics(coach)).status).toBe(403);
    expect((await get('/api/v1/analytics?user_id=athlete-2', coach)).status).toBe(200);
    expect((await del('/api/v1/coaching/links/athlete-2', coach)).status).toBe(200);
    expect((await get('/api/v1/analytics?user_id=athlete-2', coach)).status).toBe(403);
    expect((await del('/api/v1/coaching/links/athlete-2', coach)).status).toBe(404);
    const log = (await get('/api/v1/coaching/log', athlete)).body.events;
    expect(log.map((e: { action: string; via: string }) => [e.action, e.via])).toEqual([
      ['ended', 'athlete'],
      ['linked', expect.stringMatching(/^invite /)],
    ]);
    const secondLog = (await get('/api/v1/coaching/log', second)).body.events;
    expect(secondLog[0]).toMatchObject({ action: 'ended', actor_id: 'coach-1', via: 'coach' });
    // The coach's own log is about it as an athlete: empty.
    expect((await get('/api/v1/coaching/log', coach)).body.events).toEqual([]);
  });

  it('the same over tRPC for the dashboard', async () => {
    const created = await trpc('coaching.invite', { expiresInDays: 3 }, coach);
    expect(created.status).toBe(200);
    const code = created.body.result.data.code as string;
    expect((await trpc('coaching.accept', { code }, athlete)).body.result.data).toEqual({
      coachId: 'coach-1',
      linked: true,
    });
    expect((await trpc('coaching.accept', { code }, athlete)).status).toBe(404);
    expect((await trpcGet('coaching.links', athlete)).body.result.data).toEqual({ coaches: ['coach-1'], athletes: [] });
    expect((await trpc('coaching.invite', { expiresInDays: 3 }, athlete)).status).toBe(403);
    expect((await trpc('coaching.end', { userId: 'coach-1' }, athlete)).status).toBe(200);
    const log = (await trpcGet('coaching.log', athlete)).body.result.data;
    expect(log[0]).toMatchObject({ action: 'ended', via: 'athlete' });
  });
});

describeEachDatabase('admin provisioning', (ctx) => {
  let admin: string;
  let lifter: string;
  beforeAll(async () => {
    admin = await createUser(ctx.db, 'backend', { role: 'admin' });
    lifter = await createUser(ctx.db, 'lifter-1');
    await createUser(ctx.db, 'coach-9', { role: 'coach' });
  });

  it('creates users and changes roles; only admins', async () => {
    const made = await put('/api/v1/admin/users/new-coach', { role: 'coach', display_name: 'Sam' }, admin);
    expect(made.status).toBe(200);
    expect(made.body).toEqual({ id: 'new-coach', role: 'coach', created: true });
    const changed = await put('/api/v1/admin/users/lifter-1', { role: 'researcher' }, admin);
    expect(changed.body).toEqual({ id: 'lifter-1', role: 'researcher', created: false });
    // The changed role holds at once, for a token already remembered.
    expect((await get('/api/v1/experiments', lifter)).status).toBe(200);
    await put('/api/v1/admin/users/lifter-1', { role: 'lifter' }, admin);
    expect((await get('/api/v1/experiments', lifter)).status).toBe(403);
    const before = await rowCounts(ctx.db);
    expect((await put('/api/v1/admin/users/x', { role: 'coach' }, lifter)).status).toBe(403);
    expect((await put('/api/v1/admin/users/x', { role: 'coach' }, null)).status).toBe(401);
    for (const [path, body, field] of [
      ['/api/v1/admin/users/x', { role: 'king' }, 'role'],
      ['/api/v1/admin/users/x', {}, 'role'],
      ['/api/v1/admin/users/has%20space', { role: 'coach' }, 'id'],
      ['/api/v1/admin/users/x', { role: 'coach', extra: 1 }, 'extra'],
    ] as const) {
      const res = await put(path, body, admin);
      expect(res.status, path).toBe(400);
      expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
    expect(await rowCounts(ctx.db)).toEqual(before);
    const [sam] = await ctx.db.select().from(users).where(eq(users.id, 'new-coach'));
    expect(sam?.displayName).toBe('Sam');
  });

  it('the last admin cannot demote or delete itself (409 last_admin); with a second admin it can', async () => {
    const admins = async () => (await ctx.db.select().from(users).where(eq(users.role, 'admin'))).map((u) => u.id);
    expect(await admins()).toEqual(['backend']);
    const before = await rowCounts(ctx.db);
    const demoted = await put('/api/v1/admin/users/backend', { role: 'lifter' }, admin);
    expect(demoted.status).toBe(409);
    expect(demoted.body.error).toMatchObject({ code: 'last_admin', issues: [{ path: 'id' }] });
    const deleted = await call('DELETE', '/api/v1/users/backend', { token: admin });
    expect(deleted.status).toBe(409);
    expect(await rowCounts(ctx.db)).toEqual(before);
    expect(await admins()).toEqual(['backend']);
    // Another admin first; then the first may step down.
    expect((await put('/api/v1/admin/users/admin-2', { role: 'admin' }, admin)).status).toBe(200);
    expect((await put('/api/v1/admin/users/backend', { role: 'admin' }, admin)).status).toBe(200); // no change
    const second = await createUser(ctx.db, 'admin-3', { role: 'admin' });
    expect((await put('/api/v1/admin/users/admin-2', { role: 'coach' }, second)).status).toBe(200);
    expect((await put('/api/v1/admin/users/admin-3', { role: 'lifter' }, second)).status).toBe(200);
    expect(await admins()).toEqual(['backend']);
    expect((await put('/api/v1/admin/users/backend', { role: 'coach' }, admin)).status).toBe(409);
  });

  it('links and unlinks coaches, logged as the admin’s doing; refuses a non-coach or an unknown athlete', async () => {
    const linked = await post('/api/v1/admin/coach-links', { athlete_id: 'lifter-1', coach_id: 'coach-9' }, admin);
    expect(linked.body).toEqual({ athlete_id: 'lifter-1', coach_id: 'coach-9', changed: true });
    expect(
      (await post('/api/v1/admin/coach-links', { athlete_id: 'lifter-1', coach_id: 'coach-9' }, admin)).body.changed,
    ).toBe(false);
    const log = (await get('/api/v1/coaching/log', lifter)).body.events;
    expect(log[0]).toMatchObject({ action: 'linked', actor_id: 'backend', via: 'admin' });
    const notCoach = await post('/api/v1/admin/coach-links', { athlete_id: 'coach-9', coach_id: 'lifter-1' }, admin);
    expect(notCoach.status).toBe(400);
    expect(notCoach.body.error.issues[0].path).toBe('coach_id');
    expect((await post('/api/v1/admin/coach-links', { athlete_id: 'ghost', coach_id: 'coach-9' }, admin)).status).toBe(
      404,
    );
    expect(
      (await post('/api/v1/admin/coach-links', { athlete_id: 'lifter-1', coach_id: 'coach-9' }, lifter)).status,
    ).toBe(403);
    const ended = await del('/api/v1/admin/coach-links/lifter-1/coach-9', admin);
    expect(ended.body.changed).toBe(true);
    expect((await del('/api/v1/admin/coach-links/lifter-1/coach-9', admin)).body.changed).toBe(false);
  });
});
