import { z } from 'zod';
import { userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** An identity provider's account: its issuer (`iss`) and its stable subject (`sub`). */
const identityFields = {
  issuer: z.string().trim().min(1).max(300).meta({ example: 'https://your-tenant.eu.auth0.com/' }),
  subject: z.string().trim().min(1).max(300).meta({ example: 'auth0|64f1c0ffee' }),
};

const adminIdentityPut = z.strictObject({ ...identityFields, user_id: userIdField }).meta({ id: 'AdminIdentityLink' });
const adminIdentityQuery = z.strictObject(identityFields).meta({ id: 'AdminIdentity' });
const adminIdentityResult = z
  .object({ issuer: z.string(), subject: z.string(), user_id: z.string().nullable(), changed: z.boolean() })
  .meta({ id: 'AdminIdentityResult' });

/** The identities endpoints (`api.ts` gathers every domain's). */
export const identitiesEndpoints = {
  adminLinkIdentity: {
    operationId: 'adminLinkIdentity',
    method: 'PUT',
    path: '/admin/identities',
    tags: ['Admin'],
    summary: 'Link an identity provider’s account to a user',
    description:
      'The only way an identity (`iss` and `sub` of its JWTs or ID tokens) reaches an account that already exists: a first sign-in never takes one over. Moves the identity if it was linked elsewhere; lets in again an identity whose account was deleted. Admin tokens only.',
    access: 'admin',
    body: adminIdentityPut,
    errors: [404],
    response: {
      status: 200,
      description: 'Linked (`changed`: false when it already was).',
      schema: adminIdentityResult,
    },
  },
  adminUnlinkIdentity: {
    operationId: 'adminUnlinkIdentity',
    method: 'DELETE',
    path: '/admin/identities',
    tags: ['Admin'],
    summary: 'End an identity’s link to its user',
    description: 'Its next token is refused unless it may make a new account. Admin tokens only.',
    access: 'admin',
    query: adminIdentityQuery,
    response: {
      status: 200,
      description: 'Ended (`changed`: false when there was none).',
      schema: adminIdentityResult,
    },
  },
} as const satisfies Record<string, EndpointSpec>;
