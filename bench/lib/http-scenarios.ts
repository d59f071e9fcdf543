import type { Sql } from 'postgres';
import type { Db } from '../../db/client';
import { wallClock } from '../../server/time/clock';
import { requestBodies } from './bodies';
import { type BenchConfig, log } from './config';
import { enrollEveryone, timeExperimentReport } from './experiment';
import { rounds, type Spec } from './rounds';
import type { Servers, Writer } from './servers';

/**
 * The HTTP rounds, each group against its framework ceiling: single events, batches, sessions, the overlay
 * (then again with everyone in an experiment, and the report over them), and the analytics of a three-year
 * lifter at 1 and at N connections.
 */
export async function measureHttp(
  db: Db,
  raw: Sql,
  cfg: BenchConfig,
  servers: Servers,
  people: { writers: readonly Writer[]; ingestUser: string; longUser: string; longToken: string; week: string },
  problems: string[],
) {
  const { app, appRedis, redisServer, baseline, jwtOf } = servers;
  const { writers, ingestUser, week } = people;
  const { single, batch, sessionOf } = requestBodies(wallClock());
  const { compare, serverOf, results, cpuPerRequest } = rounds(cfg, raw, app.child.pid!, problems);
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const asWriters = (body?: (userId: string) => string) =>
    writers.map((w) => ({ headers: auth(w.token), ...(body ? { body: body(w.userId) } : {}) }));
  const post = (url: string, body: string, connections: number, variants?: Spec['variants']): Spec => ({
    url,
    method: 'POST',
    body,
    connections,
    variants,
    durationSeconds: cfg.duration,
  });
  const empty = (connections: number): Spec => ({
    url: `${app.url}/api/bench/noop`,
    method: 'POST',
    body: '{}',
    connections,
    durationSeconds: cfg.duration,
  });
  const overlay = (connections: number): Spec => ({
    url: `${app.url}/api/v1/modifiers`,
    connections,
    durationSeconds: cfg.duration,
    variants: asWriters(),
  });

  const c = cfg.connections;
  const b = cfg.batchConnections;
  serverOf.set('ceiling.single.redis', () => [appRedis.child.pid!, redisServer.pid!]);
  serverOf.set('app.instrument.single.redis', () => [appRedis.child.pid!, redisServer.pid!]);
  log(`single event, ${c} connections, ${cfg.rounds} × ${cfg.duration} s each`);
  await compare([
    ['ceiling.single', post(`${app.url}/api/bench/noop`, single, c)],
    ['baseline.single', post(`${baseline.url}/instrument`, single, c)],
    ['app.instrument.single', post(`${app.url}/api/instrument`, single, c, asWriters())],
    [
      'app.instrument.single.jwt',
      post(
        `${app.url}/api/instrument`,
        single,
        c,
        writers.map((w) => ({ headers: auth(jwtOf.get(w.userId)!) })),
      ),
    ],
    // Its own ceiling: a second instance is measured against the framework on that same instance.
    ['ceiling.single.redis', post(`${appRedis.url}/api/bench/noop`, single, c)],
    ['app.instrument.single.redis', post(`${appRedis.url}/api/instrument`, single, c, asWriters())],
  ]);
  log(`batches of 500 events, ${b} connections`);
  await compare([
    ['ceiling.batch', post(`${app.url}/api/bench/noop`, batch, b)],
    ['baseline.batch', post(`${baseline.url}/instrument`, batch, b)],
    ['app.instrument.batch', post(`${app.url}/api/instrument`, batch, b, asWriters())],
  ]);
  log(`session with 15 sets, ${c} connections`);
  await compare([
    ['ceiling.session', post(`${app.url}/api/bench/noop`, sessionOf(ingestUser), c)],
    ['app.session', post(`${app.url}/api/session`, sessionOf(ingestUser), c, asWriters(sessionOf))],
  ]);

  log(`modifier overlay, ${c} connections`);
  await compare([
    ['ceiling.empty', empty(c)],
    ['app.modifiers', overlay(c)],
  ]);

  // Experiments: the overlay again (each request now enrolls and exposes, in one statement), then the report.
  await enrollEveryone(db, week);
  log(`modifier overlay with every lifter in the running experiment, ${c} connections`);
  await compare([
    ['ceiling.empty.experiment', empty(c)],
    ['app.modifiers.experiment', overlay(c)],
  ]);
  const experiment = await timeExperimentReport(db, problems);

  log(`analytics, range=1y, ${cfg.longWeeks} weeks of history, ${cfg.users + cfg.longUsers} users in the database`);
  const analytics = (connections: number): Spec => ({
    url: `${app.url}/api/analytics?user_id=${people.longUser}&range=1y`,
    headers: auth(people.longToken),
    connections,
    durationSeconds: cfg.duration,
  });
  await compare([
    ['app.analytics.1y.c1', analytics(1)],
    [`app.analytics.1y.c${cfg.analyticsConnections}`, analytics(cfg.analyticsConnections)],
  ]);

  log('volume per muscle group, range=1y, the same lifter');
  const volume = (connections: number): Spec => ({
    url: `${app.url}/api/v1/analytics/volume?user_id=${people.longUser}&range=1y`,
    headers: auth(people.longToken),
    connections,
    durationSeconds: cfg.duration,
  });
  await compare([
    ['app.volume.1y.c1', volume(1)],
    [`app.volume.1y.c${cfg.analyticsConnections}`, volume(cfg.analyticsConnections)],
  ]);
  return { results, cpuPerRequest, experiment };
}
