import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What an endpoint is, as data: the route wrapper enforces it and the OpenAPI document is built from it, so
 * the two cannot drift. `access` says whose data the call touches: `write` (only your own), `read` (your own
 * or an athlete you coach), `public` (no token), `research` (researchers only: aggregates, no one lifter's
 * data), `admin` (provisioning, admins only); `subject` says where the call names that user.
 */
export interface EndpointSpec<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
> {
  operationId: string;
  method: HttpMethod;
  /** Path under /api/v1 (also served unversioned under /api), OpenAPI style: `/users/{id}`. */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  access: 'write' | 'read' | 'public' | 'research' | 'admin';
  body?: B;
  query?: Q;
  maxBodyBytes?: number;
  response: { status: number; description: string; schema: z.ZodType };
  /** Error statuses this endpoint can answer besides the common ones. */
  errors?: number[];
  /** A request body (or query) that works, for the docs page's curl example; tests post it too. */
  example?: unknown;
  /**
   * Where the request names the user it is about: a body or query field (`user_id`) or a path parameter (`id` in
   * `/users/{id}`). When that is absent, or there is none, the call is about the caller.
   */
  subject?: { in: 'body' | 'query' | 'path'; name: string };
  /** The path parameters, validated like a body (400 naming the parameter). */
  params?: z.ZodType;
  /**
   * False for calls whose result cannot be stored under the caller afterwards (deleting the caller): the
   * Idempotency-Key header is then ignored. The call must be safe to repeat by itself.
   */
  idempotent?: boolean;
  /**
   * The body is a file (not JSON): `text/csv`, or the `file` part of `multipart/form-data`; the handler streams
   * it (`uploadedFile`). Other media types → 415, past `maxBytes` → 413.
   */
  upload?: { maxBytes: number; description: string };
  /**
   * The dashboard calls it too: the browser's session cookie is accepted besides a bearer token, for requests
   * from our own pages only (CSRF).
   */
  browser?: boolean;
  /** Other media types the success response may have (e.g. text/csv), besides JSON. */
  alsoProduces?: string[];
  /**
   * The resource has a version (the response body's `version`): answered as its `ETag`, and a change must send
   * `If-Match` (428 without, 412 when stale). Such calls are safe to retry by themselves, so `idempotent` is false.
   */
  versioned?: boolean;
}
