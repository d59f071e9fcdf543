import { sql } from 'drizzle-orm';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { rows } from '@/db/client';
import type { Principal } from '@/server/auth/principal';
import { link, unlink } from '@/server/coaching/links';
import { deleteUser } from '@/server/privacy/delete-user';
import { ENVELOPE_PREFIX } from '@/server/privacy/encryption';
import { seedSession } from '../fixtures/seed-examples';
import { call, del, get, post } from '../helpers/api';
import { testNow } from '../helpers/clock';
import { describeEachDatabase } from '../helpers/databases';
import { createUser, rowCounts } from '../helpers/fixtures';
import { dashboardCaller } from '../helpers/trpc';

const NOTE = 'Bar speed looked good on the last set: add 2.5 kg next week.';

/** A coach's notes on an athlete's sessions: written by a linked coach only, read and deleted by the athlete. */
describeEachDatabase('coach notes on sessions', (ctx) => {
  const tokens = {} as Record<'ana' | 'ben' | 'coach' | 'second' | 'stranger', string>;
  let sessionId: string;
  let otherSession: string;
  const notesPath = (id = sessionId) => `/api/v1/sessions/${id}/notes`;
  const trpcAs = (userId: string, role: Principal['role']) => dashboardCaller(ctx.db, { userId, role }, testNow());

  beforeAll(async () => {
    tokens.ana = await createUser(ctx.db, 'ana');
    tokens.ben = await createUser(ctx.db, 'ben');
    tokens.coach = await createUser(ctx.db, 'coach-c', { role: 'coach', coaches: ['ana'] });
    tokens.second = await createUser(ctx.db, 'coach-d', { role: 'coach', coaches: ['ana'] });
    tokens.stranger = await createUser(ctx.db, 'coach-s', { role: 'coach', coaches: ['ben'] });
    sessionId = (await post('/api/v1/session', { ...seedSession, user_id: 'ana' }, tokens.ana)).body.session_id;
    otherSession = (await post('/api/v1/session', { ...seedSession, user_id: 'ben' }, tokens.ben)).body.session_id;
    await post(
      '/api/v1/feedback',
      { user_id: 'ana', ref_type: 'session', ref_id: sessionId, helpful: false, notes: 'far too heavy today' },
      tokens.ana,
    );
  });
  beforeEach(async () => {
    await ctx.db.execute(sql`delete from session_notes`);
  });

  const addNote = (token: string, note = NOTE, user = 'ana', id = sessionId) =>
    post(notesPath(id), { user_id: user, note }, token);

  it('a linked coach leaves a note: stored encrypted, the athlete reads it with the session, the coach its own', async () => {
    const res = await addNote(tokens.coach);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ session_id: sessionId, coach_id: 'coach-c', note: NOTE });
    expect((await addNote(tokens.second, 'Sleep more before heavy days.')).status).toBe(201);

    const [raw] = await rows<{ note: string }>(ctx.db, sql`select note from session_notes where coach_id = 'coach-c'`);
    expect(raw!.note.startsWith(ENVELOPE_PREFIX)).toBe(true);

    const own = await get(`/api/v1/sessions/${sessionId}`, tokens.ana);
    expect(own.body.coach_notes.map((n: { coach_id: string }) => n.coach_id)).toEqual(['coach-c', 'coach-d']);
    expect(own.body.coach_notes[0]).toEqual(res.body);
    const asCoach = await get(`/api/v1/sessions/${sessionId}?user_id=ana`, tokens.coach);
    expect(asCoach.status).toBe(200);
    expect(asCoach.body.coach_notes.map((n: { note: string }) => n.note)).toEqual([NOTE]);

    // The dashboard's list, with the session's date and day.
    const listed = await trpcAs('ana', 'lifter').coaching.notes();
    expect(listed.map((n) => [n.coachId, n.sessionDate, n.dayType])).toEqual([
      ['coach-d', '2025-11-24', 'Chest'],
      ['coach-c', '2025-11-24', 'Chest'],
    ]);
  });

  it.each([
    ['the athlete on their own session', 'ana', 'ana', (): string => sessionId, 403, 'user_id'],
    ['a coach of another athlete', 'stranger', 'ana', (): string => sessionId, 403, 'user_id'],
    ['a session of another athlete', 'coach', 'ana', (): string => otherSession, 404, 'id'],
    ['an unknown session', 'coach', 'ana', (): string => '00000000-0000-4000-8000-000000000000', 404, 'id'],
  ] as const)('refuses %s, naming the field, writing nothing', async (_, who, user, id, status, field) => {
    const before = await rowCounts(ctx.db);
    const res = await addNote(tokens[who], NOTE, user, id());
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body.error)).toContain(field);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it.each([
    ['an empty note', { user_id: 'ana', note: '   ' }, 'note'],
    ['a note over 2,000 characters', { user_id: 'ana', note: 'x'.repeat(2001) }, 'note'],
    ['a number for a note', { user_id: 'ana', note: 5 }, 'note'],
    ['no athlete', { note: NOTE }, 'user_id'],
    ['an unknown field', { user_id: 'ana', note: NOTE, pinned: true }, 'pinned'],
  ])('refuses %s with 400 naming the field', async (_, body, field) => {
    const before = await rowCounts(ctx.db);
    const res = await post(notesPath(), body, tokens.coach);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await rowCounts(ctx.db)).toEqual(before);
  });

  it('refuses a path that is not a session id with 400 naming it', async () => {
    const res = await post('/api/v1/sessions/not-a-uuid/notes', { user_id: 'ana', note: NOTE }, tokens.coach);
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain('id');
  });

  it('the athlete deletes a note; the coach cannot; a second delete is 404 naming note_id', async () => {
    const note = (await addNote(tokens.coach)).body;
    const path = `${notesPath()}/${note.note_id}`;
    expect((await del(path, tokens.coach)).status).toBe(404);
    const res = await del(path, tokens.ana);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ note_id: note.note_id, deleted: true });
    const again = await del(path, tokens.ana);
    expect(again.status).toBe(404);
    expect(JSON.stringify(again.body.error)).toContain('note_id');
    expect((await get(`/api/v1/sessions/${sessionId}`, tokens.ana)).body.coach_notes).toEqual([]);
  });

  it('leaves with the link: ending it deletes the coach’s notes, and linking again does not bring them back', async () => {
    await addNote(tokens.coach);
    await addNote(tokens.second);
    await unlink(ctx.db, 'ana', 'coach-c', 'ana', 'athlete');
    const left = await rows<{ coach_id: string }>(ctx.db, sql`select coach_id from session_notes`);
    expect(left.map((r) => r.coach_id)).toEqual(['coach-d']);
    expect((await addNote(tokens.coach)).status).toBe(403);
    await link(ctx.db, 'ana', 'coach-c', 'ana', 'athlete');
    expect((await get(`/api/v1/sessions/${sessionId}?user_id=ana`, tokens.coach)).body.coach_notes).toEqual([]);
  });

  it('the coach view shows the athlete’s feedback with its note, beside the session it is about and the coach’s notes', async () => {
    await addNote(tokens.coach);
    await addNote(tokens.second, 'Not for coach-c to read.');
    const voice = await trpcAs('coach-c', 'coach').coach.athleteVoice({ athleteId: 'ana' });
    expect(voice.feedback).toHaveLength(1);
    expect(voice.feedback[0]).toMatchObject({
      helpful: false,
      notes: 'far too heavy today',
      on: 'session',
      sessionId,
      sessionDate: '2025-11-24',
    });
    expect(voice.sessions.map((s) => [s.id, s.exercises, s.notes.map((n) => n.note)])).toEqual([
      [sessionId, ['Incline Dumbbell Press'], [NOTE]],
    ]);
    await expect(trpcAs('coach-s', 'coach').coach.athleteVoice({ athleteId: 'ana' })).rejects.toThrow(/do not coach/);
  });

  it('tRPC: a coach adds a note, the athlete deletes it from the dashboard', async () => {
    const n = await trpcAs('coach-c', 'coach').coach.addSessionNote({ athleteId: 'ana', sessionId, note: NOTE });
    await expect(
      trpcAs('coach-c', 'coach').coach.addSessionNote({ athleteId: 'ana', sessionId, note: '' }),
    ).rejects.toThrow();
    await trpcAs('ana', 'lifter').coaching.deleteNote({ id: sessionId, noteId: n.id });
    expect(await trpcAs('ana', 'lifter').coaching.notes()).toEqual([]);
  });

  it('the athlete’s export holds the notes in plain text; deleting either account deletes them', async () => {
    await addNote(tokens.coach);
    const exported = await call('GET', '/api/v1/export', { token: tokens.ana });
    expect(exported.body.tables.session_notes.map((n: { note: string }) => n.note)).toEqual([NOTE]);
    await deleteUser(ctx.db, 'coach-c');
    expect(await rows(ctx.db, sql`select 1 from session_notes`)).toEqual([]);
    await addNote(tokens.second);
    await deleteUser(ctx.db, 'ana');
    expect(await rows(ctx.db, sql`select 1 from session_notes`)).toEqual([]);
  });
});
