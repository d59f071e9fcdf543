import { z } from 'zod';

const MAX_TOKEN_DAYS = 365;

/** A new API token, made from a dashboard session (tRPC only: a token never mints another). */
export const tokenCreate = z.strictObject({
  name: z.string().trim().min(1, 'Give the token a name').max(80),
  /** Days until it expires; null: until revoked. */
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).nullable(),
});

export const tokenRevoke = z.strictObject({ id: z.uuid() });
