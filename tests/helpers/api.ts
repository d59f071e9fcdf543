import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Record<string, unknown>;

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Calls the real route handlers (the same exports Next serves) without an HTTP server: fast enough to run
 * hundreds of cases on both databases. The routes are the route files under app/api, matched as Next matches
 * them — static segments before dynamic ones, the catch-all last — after the rewrite of next.config.mjs that serves
 * the unversioned paths from /api/v1. Nothing here is kept by hand.
 */
interface Route {
  pattern: RegExp;
  file: string;
  /** Sorts static routes before dynamic ones, and the catch-all last. */
  rank: number;
}

function routeOf(file: string): Route {
  const segments = path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep);
  let rank = 0;
  const parts = segments.map((seg) => {
    if (seg.startsWith('[...')) {
      rank += 1000;
      return '(?:/.*)?';
    }
    if (seg.startsWith('[')) {
      rank += 1;
      return `/(?<${seg.slice(1, -1)}>[^/]+)`;
    }
    return `/${seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  });
  return { pattern: new RegExp(`^${parts.join('')}$`), file, rank };
}

const ROUTES: Route[] = readdirSync(path.join(root, 'app/api'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name === 'route.ts')
  .map((e) => routeOf(path.join(e.parentPath, e.name)))
  .sort((a, b) => a.rank - b.rank);

/** next.config.mjs's rewrites, applied as Next applies them (its own path matcher, `:param*` joined with `/`). */
type Rewrite = { source: string; destination: string };
const rewrites: Promise<((pathname: string) => string | undefined)[]> = (async () => {
  const config = (await import(pathToFileURL(path.join(root, 'next.config.mjs')).href)) as {
    default: { rewrites(): Promise<Rewrite[]> };
  };
  const { getPathMatch } = await import('next/dist/shared/lib/router/utils/path-match');
  return (await config.default.rewrites()).map(({ source, destination }) => {
    const match = getPathMatch(source);
    return (pathname: string) => {
      const params = match(pathname);
      if (!params) return undefined;
      return destination
        .replace(/:(\w+)\*/g, (_, name: string) => [params[name] ?? []].flat().join('/'))
        .replace(/:(\w+)/g, (_, name: string) => String(params[name]))
        .replace(/\/$/, '');
    };
  });
})();

async function rewritten(pathname: string): Promise<string> {
  for (const rewrite of await rewrites) {
    const to = rewrite(pathname);
    if (to !== undefined) return to;
  }
  return pathname;
}

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
  const served = await rewritten(url.pathname);
  const match = ROUTES.find((r) => r.pattern.test(served));
  if (!match) throw new Error(`no route for ${url.pathname}`);
  const mod = (await import(pathToFileURL(match.file).href)) as RouteModule;
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
  const groups = match.pattern.exec(served)?.groups ?? {};
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
