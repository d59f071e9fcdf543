import { DomainError } from './errors';

/**
 * Conditional edits: an edit says which versions of a resource it was made from (the edge reads them from
 * `If-Match`); one made from an older copy is refused as stale, naming the current version.
 */
export type ExpectedVersion = '*' | readonly number[];

export function matches(expected: ExpectedVersion, version: number): boolean {
  return expected === '*' || expected.includes(version);
}

export const staleVersion = (current: number) =>
  new DomainError(
    'stale',
    'precondition_failed',
    `The resource changed since you read it (it is now version ${current}); read it again and redo your edit.`,
    [{ path: 'If-Match', message: `does not match the current ETag "${current}"` }],
    { currentVersion: current },
  );
