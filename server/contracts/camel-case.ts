import { z } from 'zod';

/** `expires_in_days` → `expiresInDays`. */
type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A wire schema's fields with the names the dashboard writes (camelCase): tRPC's input for the procedure that does
 * what the REST endpoint does, with the same rules and messages — the one place the two namings meet on the way in.
 */
export function camelCased<T extends z.ZodRawShape>(
  schema: z.ZodObject<T>,
): z.ZodObject<{ -readonly [K in keyof T as Camel<K & string>]: T[K] }, z.core.$strict> {
  return z.strictObject(
    Object.fromEntries(Object.entries(schema.shape).map(([key, field]) => [camel(key), field])),
  ) as never;
}
