type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, unknown>;

/**
 * Calls the real route handlers (the same exports Next serves) without an HTTP server: fast enough to run
 * hundreds of cases on both databases. Each pattern maps to the route file Next would pick.
 */
const ROUTES: [RegExp, () => Promise<RouteModule>][] = [
  [/^\/api\/v1\/profile_versions$/, () => import('@/app/api/v1/profile_versions/route')],
  [/^\/api\/profile_versions$/, () => import('@/app/api/profile_versions/route')],
  [/^\/api\/v1\/session$/, () => import('@/app/api/v1/session/route')],
  [/^\/api\/session$/, () => import('@/app/api/session/route')],
  [/^\/api\/v1\/recommendations$/, () => import('@/app/api/v1/recommendations/route')],
  [/^\/api\/recommendations$/, () => import('@/app/api/recommendations/route')],
  [/^\/api\/v1\/feedback$/, () => import('@/app/api/v1/feedback/route')],
  [/^\/api\/feedback$/, () => import('@/app/api/feedback/route')],
  [/^\/api\/v1\/instrument$/, () => import('@/app/api/v1/instrument/route')],
  [/^\/api\/instrument$/, () => import('@/app/api/instrument/route')],
  [/^\/api\/v1\/analytics$/, () => import('@/app/api/v1/analytics/route')],
  [/^\/api\/analytics$/, () => import('@/app/api/analytics/route')],
  [/^\/api\/cron\/analytics$/, () => import('@/app/api/cron/analytics/route')],
  [/^\/api\/v1\/modifiers$/, () => import('@/app/api/v1/modifiers/route')],
  [/^\/api\/modifiers$/, () => import('@/app/api/modifiers/route')],
  [/^\/api\/cron\/modifiers$/, () => import('@/app/api/cron/modifiers/route')],
  [/^\/api\/v1\/consent$/, () => import('@/app/api/v1/consent/route')],
  [/^\/api\/consent$/, () => import('@/app/api/consent/route')],
  [/^\/api\/v1\/export$/, () => import('@/app/api/v1/export/route')],
  [/^\/api\/export$/, () => import('@/app/api/export/route')],
  [/^\/api\/v1\/users\/(?<id>[^/]+)$/, () => import('@/app/api/v1/users/[id]/route')],
  [/^\/api\/users\/(?<id>[^/]+)$/, () => import('@/app/api/users/[id]/route')],
  [/^\/api\/v1\/experiments$/, () => import('@/app/api/v1/experiments/route')],
  [/^\/api\/experiments$/, () => import('@/app/api/experiments/route')],
  [/^\/api\/v1\/experiments\/(?<key>[^/]+)$/, () => import('@/app/api/v1/experiments/[key]/route')],
  [/^\/api\/experiments\/(?<key>[^/]+)$/, () => import('@/app/api/experiments/[key]/route')],
  [/^\/api\/v1\/experiments\/(?<key>[^/]+)\/start$/, () => import('@/app/api/v1/experiments/[key]/start/route')],
  [/^\/api\/experiments\/(?<key>[^/]+)\/start$/, () => import('@/app/api/experiments/[key]/start/route')],
  [/^\/api\/v1\/experiments\/(?<key>[^/]+)\/stop$/, () => import('@/app/api/v1/experiments/[key]/stop/route')],
  [/^\/api\/experiments\/(?<key>[^/]+)\/stop$/, () => import('@/app/api/experiments/[key]/stop/route')],
  [/^\/api\/v1\/experiments\/(?<key>[^/]+)\/report$/, () => import('@/app/api/v1/experiments/[key]/report/route')],
  [/^\/api\/experiments\/(?<key>[^/]+)\/report$/, () => import('@/app/api/experiments/[key]/report/route')],
  [/^\/api\/v1\/sessions$/, () => import('@/app/api/v1/sessions/route')],
  [/^\/api\/sessions$/, () => import('@/app/api/sessions/route')],
  [/^\/api\/v1\/sessions\/(?<id>[^/]+)$/, () => import('@/app/api/v1/sessions/[id]/route')],
  [/^\/api\/sessions\/(?<id>[^/]+)$/, () => import('@/app/api/sessions/[id]/route')],
  [/^\/api\/v1\/coaching\/invites$/, () => import('@/app/api/v1/coaching/invites/route')],
  [/^\/api\/coaching\/invites$/, () => import('@/app/api/coaching/invites/route')],
  [/^\/api\/v1\/coaching\/invites\/(?<id>[^/]+)$/, () => import('@/app/api/v1/coaching/invites/[id]/route')],
  [/^\/api\/coaching\/invites\/(?<id>[^/]+)$/, () => import('@/app/api/coaching/invites/[id]/route')],
  [/^\/api\/v1\/coaching\/accept$/, () => import('@/app/api/v1/coaching/accept/route')],
  [/^\/api\/coaching\/accept$/, () => import('@/app/api/coaching/accept/route')],
  [/^\/api\/v1\/coaching\/links$/, () => import('@/app/api/v1/coaching/links/route')],
  [/^\/api\/coaching\/links$/, () => import('@/app/api/coaching/links/route')],
  [/^\/api\/v1\/coaching\/links\/(?<user_id>[^/]+)$/, () => import('@/app/api/v1/coaching/links/[user_id]/route')],
  [/^\/api\/coaching\/links\/(?<user_id>[^/]+)$/, () => import('@/app/api/coaching/links/[user_id]/route')],
  [/^\/api\/v1\/coaching\/log$/, () => import('@/app/api/v1/coaching/log/route')],
  [/^\/api\/coaching\/log$/, () => import('@/app/api/coaching/log/route')],
  [/^\/api\/v1\/admin\/users\/(?<id>[^/]+)$/, () => import('@/app/api/v1/admin/users/[id]/route')],
  [/^\/api\/admin\/users\/(?<id>[^/]+)$/, () => import('@/app/api/admin/users/[id]/route')],
  [/^\/api\/v1\/admin\/identities$/, () => import('@/app/api/v1/admin/identities/route')],
  [/^\/api\/v1\/admin\/coach-links$/, () => import('@/app/api/v1/admin/coach-links/route')],
  [/^\/api\/admin\/coach-links$/, () => import('@/app/api/admin/coach-links/route')],
  [
    /^\/api\/v1\/admin\/coach-links\/(?<athlete_id>[^/]+)\/(?<coach_id>[^/]+)$/,
    () => import('@/app/api/v1/admin/coach-links/[athlete_id]/[coach_id]/route'),
  ],
  [
    /^\/api\/admin\/coach-links\/(?<athlete_id>[^/]+)\/(?<coach_id>[^/]+)$/,
    () => import('@/app/api/admin/coach-links/[athlete_id]/[coach_id]/route'),
  ],
  [/^\/api\/v1\/exercises$/, () => import('@/app/api/v1/exercises/route')],
  [/^\/api\/exercises$/, () => import('@/app/api/exercises/route')],
  [/^\/api\/v1\/exercises\/rename$/, () => import('@/app/api/v1/exercises/rename/route')],
  [/^\/api\/exercises\/rename$/, () => import('@/app/api/exercises/rename/route')],
  [/^\/api\/v1\/imports$/, () => import('@/app/api/v1/imports/route')],
  [/^\/api\/imports$/, () => import('@/app/api/imports/route')],
  [/^\/api\/v1\/imports\/(?<id>[^/]+)$/, () => import('@/app/api/v1/imports/[id]/route')],
  [/^\/api\/imports\/(?<id>[^/]+)$/, () => import('@/app/api/imports/[id]/route')],
  [/^\/api\/cron\/retention$/, () => import('@/app/api/cron/retention/route')],
  [/^\/api\/trpc\/[^/]+$/, () => import('@/app/api/trpc/[trpc]/route')],
  [/^\/api\/.*$/, () => import('@/app/api/[...path]/route')],
];

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string | null;
  /** A JSON value to send; use `raw` to send exact bytes. */
  json?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

export async function call<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(path, 'http://localhost');
  const match = ROUTES.find(([re]) => re.test(url.pathname));
  if (!match) throw new Error(`no route for ${url.pathname}`);
  const mod = await match[1]();
  const handler = mod[method] as RouteHandler | undefined;
  if (!handler) throw new Error(`route ${url.pathname} exports no ${method}`);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization ??= `Bearer ${opts.token}`;
  let body: string | Uint8Array | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] ??= 'application/json';
  }
  const request = new Request(url, { method, headers, body: body as BodyInit | undefined });
  // Path parameters, as Next passes them: the route pattern's named groups, decoded.
  const groups = match[0].exec(url.pathname)?.groups ?? {};
  const routeParams = Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, decodeURIComponent(v)]));
  const response = await handler(request, { params: Promise.resolve(routeParams) });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    body: text ? (isJson ? JSON.parse(text) : text) : undefined,
    headers: response.headers,
  };
}

export const post = <T = any>(path: string, json: unknown, token?: string | null, headers?: Record<string, string>) =>
  call<T>('POST', path, { json, token, headers });
export const get = <T = any>(path: string, token?: string | null) => call<T>('GET', path, { token });
export const del = <T = any>(path: string, token?: string | null, headers?: Record<string, string>) =>
  call<T>('DELETE', path, { token, headers });
