import { ApiError, formatPath } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
const SUSPICIOUS_ESCAPE = /\\u(0000|d[89a-f])/i;

/**
 * Reads a JSON request body's text: 415 unless it is declared JSON, 413 past `maxBytes` (checked on the header
 * and while streaming, so a lying or absent Content-Length cannot get past it), 400 when it is not UTF-8.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type.trim())) {
    throw new ApiError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.');
  }
  const tooLarge = () =>
    new ApiError(413, 'payload_too_large', `The body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();

  let raw = '';
  if (request.body) {
    const reader = request.body.getReader();
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => {});
          throw tooLarge();
        }
        raw += decoder.decode(value, { stream: true });
      }
      raw += decoder.decode();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8.');
    }
  }
  return raw;
}

/**
 * Parses JSON text as the API accepts it: 400 when it does not parse, or when a string holds what PostgreSQL
 * cannot store (a NUL character, a lone UTF-16 surrogate), naming where. Parsing is iterative in V8, so any
 * nesting within the size limit parses; schemas bound the depth of the fields that may nest.
 */
export function parseJsonText(raw: string, what = 'The request body'): unknown {
  if (raw.trim() === '') throw new ApiError(400, 'invalid_json', `${what} is empty; send a JSON object.`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new ApiError(400, 'invalid_json', `${what} is not valid JSON: ${(err as Error).message}`);
  }
  // Valid JSON can carry NUL or a lone surrogate only as a \u escape (raw ones are not valid JSON or not
  // valid UTF-8): when the text has no such escape, the parsed value cannot hold one and the walk is skipped.
  const bad = SUSPICIOUS_ESCAPE.test(raw) ? unstorableTextPath(value) : undefined;
  if (bad) {
    const path = formatPath(bad) || '(body)';
    throw new ApiError(
      400,
      'validation_failed',
      `Invalid request body: ${path} contains a NUL character or broken Unicode`,
      [{ path, message: 'contains a NUL character or broken Unicode (lone surrogate)' }],
    );
  }
  return value;
}

/** Reads and parses a JSON body (both above). Returns the raw text too: idempotency hashes exactly what was sent. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<{ raw: string; value: unknown }> {
  const raw = await readBodyText(request, maxBytes);
  return { raw, value: parseJsonText(raw) };
}

/**
 * PostgreSQL stores neither NUL characters in text nor lone UTF-16 surrogates in jsonb; valid JSON can carry
 * both. Finds the first such string or key, walking with an explicit stack (any depth, no recursion).
 */
function unstorableTextPath(root: unknown): (string | number)[] | undefined {
  interface Node {
    value: unknown;
    key?: string | number;
    parent?: Node;
  }
  const pathOf = (node: Node | undefined, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let n = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
    return path;
  };
  const bad = (s: string) => s.includes('\u0000') || !s.isWellFormed();
  const stack: Node[] = [{ value: root }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (bad(value)) return pathOf(node);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [k] of entries) if (bad(k)) return pathOf(node, k);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({ value: entries[i]![1], key: entries[i]![0], parent: node });
    }
  }
  return undefined;
}

/** Query parameters as an object; a repeated parameter is refused rather than silently picking one. */
export function readQuery(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in out) {
      throw new ApiError(400, 'validation_failed', `Query parameter ${key} is given more than once.`, [
        { path: key, message: 'is given more than once' },
      ]);
    }
    out[key] = value;
  }
  return out;
}

/**
 * One query parameter, decoded strictly: percent-escapes that are not UTF-8 are refused (400) instead of being
 * replaced with U+FFFD as URLSearchParams does. Undefined when the parameter is absent.
 */
export function strictQueryParam(url: URL, name: string): string | undefined {
  for (const part of url.search.slice(1).split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).replaceAll('+', '%20'));
    } catch {
      throw new ApiError(400, 'validation_failed', `Query parameter ${name} is not valid UTF-8.`, [
        { path: name, message: 'is not valid UTF-8' },
      ]);
    }
  }
  return undefined;
}
