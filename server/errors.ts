import type { z } from 'zod';

/**
 * What a domain says when it cannot do what was asked — in its own terms, knowing nothing of HTTP or tRPC. The
 * edges map a failure's `kind` to a status once each (REST's errors module, tRPC's init); the `code`, message and
 * field issues reach the client as they are.
 */
export interface FieldIssue {
  path: string;
  message: string;
}

export type FailureKind =
  /** The input cannot be acted on as it is (400). */
  | 'invalid'
  /** No credential, or one that is not (or no longer) good (401). */
  | 'unauthenticated'
  /** Someone known, who may not do this (403). */
  | 'forbidden'
  | 'not_found'
  /** The state of things forbids it now (409). */
  | 'conflict'
  /** It existed and is used up (410). */
  | 'gone'
  /** Read, understood, and refused: a faulty row, a limit reached (422). */
  | 'unprocessable'
  /** Made from a version that is no longer the current one (412). */
  | 'stale'
  /** A dependency is away; asking again later may work (503). */
  | 'unavailable';

export interface FailureDetail {
  /** Seconds after which asking again may work (`unavailable`). */
  retryAfterSeconds?: number;
  /** The current version, for a `stale` edit to start again from. */
  currentVersion?: number;
  /** The credential was presented and is not good (`unauthenticated`): the client should not retry with it. */
  invalidCredential?: boolean;
}

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly issues?: FieldIssue[],
    readonly detail: FailureDetail = {},
  ) {
    super(message);
  }
}

const issuesAt = (path: string | undefined, message: string) => (path ? [{ path, message }] : undefined);

export const invalid = (message: string, issues?: FieldIssue[]) =>
  new DomainError('invalid', 'bad_request', message, issues);
export const notFound = (what: string, path?: string) =>
  new DomainError('not_found', 'not_found', `${what} not found`, issuesAt(path, `${what} not found`));
export const forbidden = (message: string, path?: string) =>
  new DomainError('forbidden', 'forbidden', message, issuesAt(path, message));
export const conflict = (message: string, path?: string) =>
  new DomainError('conflict', 'conflict', message, issuesAt(path, message));
export const unauthenticated = (message: string, invalidCredential = false) =>
  new DomainError('unauthenticated', 'unauthorized', message, undefined, { invalidCredential });

/** `sets[2].actual_reps`: the path a client developer would write. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

type Issue = z.core.$ZodIssue;

function flatten(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: 'is not a known field' });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the alternative the body came closest to (fewest problems), not every branch at once.
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...flatten(closest, path));
    } else {
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      out.push({ path: formatPath(path) || '(body)', message });
    }
  }
  return out;
}

const WHERE = { body: 'request body', query: 'query parameter', path: 'path parameter' } as const;

/** A zod refusal as a failure naming every field at fault. */
export function validationError(error: z.ZodError, where: keyof typeof WHERE): DomainError {
  const issues = flatten(error.issues);
  const first = issues[0]!;
  return new DomainError(
    'invalid',
    'validation_failed',
    `Invalid ${WHERE[where]}: ${first.path} ${first.message}`,
    issues,
  );
}
