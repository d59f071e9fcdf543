import type { z } from 'zod';
import type { Db } from '@/db/client';
import { requireCaller } from '@/server/auth/credentials';
import { authorize, authorizeAdmin, authorizeResearch, type Principal } from '@/server/auth/principal';
import { type EndpointSpec, HTTP_METHODS, type HttpMethod } from '@/server/contracts/endpoint-spec';
import { getDb } from '@/server/db';
import { wallClock } from '@/server/time/clock';
import type { ExpectedVersion } from '@/server/versions';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody, readQuery } from './body';
import { knownError, validationError } from './errors';
import { once, parseIdempotencyKey, requestHash } from './idempotency';
import { etagOf, expectedVersion } from './preconditions';
import { enforceRateLimit } from './rate-limit';
import { refuseCrossSite } from './same-site';
import { checkDeclaredLength, uploadMediaType } from './upload';

interface HandlerContext<B, Q> {
  db: Db;
  principal: Principal;
  body: B;
  query: Q;
  /** The user the call is about (see `EndpointSpec.subject`), access already checked. */
  subjectId: string;
  request: Request;
  params: Record<string, string>;
  receivedAt: Date;
  /** For a versioned change: the versions `If-Match` allows. */
  ifMatch: ExpectedVersion;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export type Handler<S extends EndpointSpec> = (
  ctx: HandlerContext<Infer<S['body']>, Infer<S['query']>>,
) => Promise<unknown>;

export interface Endpoint {
  spec: EndpointSpec;
  handle(request: Request, params: Record<string, string>): Promise<Response>;
}

const json = (status: number, body: unknown, headers?: Record<string, string>) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

export function errorResponse(err: unknown): Response {
  const known = knownError(err);
  if (known) return json(known.status, known.toBody(), known.headers);
  console.error('Unhandled error in API route:', err);
  return json(500, { error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path'): z.output<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

/** The user the request names where its spec says it does; undefined when it names none. */
function subjectOf(spec: EndpointSpec, sources: { body: unknown; query: unknown; path: Record<string, string> }) {
  if (!spec.subject) return undefined;
  const value = (sources[spec.subject.in] as Record<string, unknown> | undefined)?.[spec.subject.name];
  return typeof value === 'string' ? value : undefined;
}

/** Binds a spec to its handler: authentication, parsing, access, idempotency and errors happen here, once. */
export function endpoint<S extends EndpointSpec>(spec: S, handler: Handler<S>): Endpoint {
  return {
    spec,
    async handle(request, params) {
      try {
        const receivedAt = wallClock();
        const url = new URL(request.url);
        const db = await getDb();
        // Authenticate first: a caller without a valid token learns nothing about the payload rules.
        let principal: Principal = { userId: '', role: 'lifter' };
        if (spec.access !== 'public') {
          const caller = await requireCaller(db, request.headers, spec.browser ? ['bearer', 'session'] : ['bearer']);
          if (caller.kind === 'session') refuseCrossSite(request);
          principal = caller.principal;
          await enforceRateLimit(`user:${principal.userId}`);
          // A role the endpoint needs is checked before the body is read: a lifter learns nothing of its rules.
          if (spec.access === 'research') authorizeResearch(principal);
          else if (spec.access === 'admin') authorizeAdmin(principal);
        }
        if (spec.upload) {
          uploadMediaType(request);
          checkDeclaredLength(request, spec.upload.maxBytes);
        }

        let raw = '';
        let body: unknown;
        if (spec.body) {
          const read = await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
          raw = read.raw;
          body = parse(spec.body, read.value, 'body');
        }
        const query = spec.query ? parse(spec.query, readQuery(url), 'query') : undefined;
        if (spec.params) parse(spec.params, params, 'path');
        const ifMatch = spec.versioned && spec.method !== 'GET' ? expectedVersion(request.headers) : '*';
        const idempotencyKey =
          spec.method === 'GET' || spec.idempotent === false
            ? undefined
            : parseIdempotencyKey(request.headers.get('idempotency-key'));

        const subjectId = subjectOf(spec, { body, query, path: params }) ?? principal.userId;
        if (spec.access === 'read' || spec.access === 'write') {
          await authorize(db, principal, spec.access, subjectId, spec.subject?.name ?? 'user_id');
        }

        const run = async (tx: Db) => {
          const result = await handler({
            db: tx,
            principal,
            body: body as never,
            query: query as never,
            subjectId,
            request,
            params,
            receivedAt,
            ifMatch,
          });
          return { status: spec.response.status, body: result };
        };

        if (idempotencyKey) {
          const out = await once(db, principal.userId, idempotencyKey, requestHash(spec.operationId, raw), run);
          return json(out.status, out.body, out.replayed ? { 'idempotency-replayed': 'true' } : undefined);
        }
        const out = await run(db);
        // A handler may answer another media type (e.g. CSV) as a ready Response.
        if (out.body instanceof Response) {
          out.body.headers.set('cache-control', 'no-store');
          return out.body;
        }
        const version = spec.versioned ? (out.body as { version?: unknown } | null)?.version : undefined;
        return json(out.status, out.body, typeof version === 'number' ? { etag: etagOf(version) } : undefined);
      } catch (err) {
        return errorResponse(err);
      }
    },
  };
}

type RouteContext = { params?: Promise<Record<string, string | string[]>> };
type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

/**
 * The exports of one route file: every HTTP method, those without an endpoint answering 405 with `Allow`.
 * Usage: `export const { GET, POST, PUT, PATCH, DELETE } = route(endpointA, endpointB)`.
 */
export function route(...endpoints: Endpoint[]): Record<HttpMethod, RouteHandler> {
  const byMethod = new Map(endpoints.map((e) => [e.spec.method, e]));
  const allow = [...byMethod.keys()].join(', ');
  const out = {} as Record<HttpMethod, RouteHandler>;
  for (const method of HTTP_METHODS) {
    const ep = byMethod.get(method);
    out[method] = ep
      ? async (request, context) => {
          const raw = (await context?.params) ?? {};
          const params = Object.fromEntries(
            Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]),
          );
          return ep.handle(request, params);
        }
      : async () =>
          json(
            405,
            { error: { code: 'method_not_allowed', message: `${method} is not allowed here; use ${allow}.` } },
            { allow },
          );
  }
  return out;
}
