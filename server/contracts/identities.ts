import { z } from 'zod';
import { userIdField } from './common';

/** An identity provider's account: its issuer (`iss`) and its stable subject (`sub`). */
const identityFields = {
  issuer: z.string().trim().min(1).max(300).meta({ example: 'https://your-tenant.eu.auth0.com/' }),
  subject: z.string().trim().min(1).max(300).meta({ example: 'auth0|64f1c0ffee' }),
};

export const adminIdentityPut = z
  .strictObject({ ...identityFields, user_id: userIdField })
  .meta({ id: 'AdminIdentityLink' });
export const adminIdentityQuery = z.strictObject(identityFields).meta({ id: 'AdminIdentity' });
export const adminIdentityResult = z
  .object({ issuer: z.string(), subject: z.string(), user_id: z.string().nullable(), changed: z.boolean() })
  .meta({ id: 'AdminIdentityResult' });
