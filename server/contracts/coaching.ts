import { z } from 'zod';
import { USER_ROLES } from '@/db/schema/enums';
import { userIdField } from './common';
import type { EndpointSpec } from './endpoint-spec';

/** An invitation is valid 7 days unless the coach asks otherwise, at most 30. */
const DEFAULT_INVITE_DAYS = 7;
const MAX_INVITE_DAYS = 30;

export const inviteCreate = z
  .strictObject({
    expires_in_days: z.number().int().min(1).max(MAX_INVITE_DAYS).default(DEFAULT_INVITE_DAYS),
  })
  .meta({ id: 'InviteCreate' });

const inviteWire = z
  .object({
    invite_id: z.uuid(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    accepted_by: z.string().nullable(),
    accepted_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invite' });

const inviteCreated = inviteWire
  .extend({ code: z.string().meta({ description: 'Shown once: give it to the athlete.' }) })
  .meta({ id: 'InviteCreated' });

const inviteList = z.object({ invites: z.array(inviteWire) }).meta({ id: 'InviteList' });
export const invitePathParams = z.strictObject({ id: z.uuid({ error: 'must be an invitation id (a UUID)' }) });

export const inviteAccept = z
  .strictObject({
    code: z.string().trim().min(1, 'Paste the code your coach gave you').max(200).meta({ example: 'ovi_…' }),
  })
  .meta({ id: 'InviteAccept' });
const inviteAccepted = z
  .object({ coach_id: z.string(), linked: z.boolean().meta({ description: 'False when the link already existed.' }) })
  .meta({ id: 'InviteAccepted' });

const coachLinks = z.object({ coaches: z.array(z.string()), athletes: z.array(z.string()) }).meta({ id: 'CoachLinks' });
export const linkPathParams = z.strictObject({ user_id: userIdField });
const linkEnded = z.object({ athlete_id: z.string(), coach_id: z.string() }).meta({ id: 'CoachLinkEnded' });

const linkLogWire = z
  .object({
    events: z.array(
      z.object({
        coach_id: z.string(),
        action: z.enum(['linked', 'ended']),
        actor_id: z.string(),
        via: z.string().meta({ description: '`invite <id>`, `athlete`, `coach` or `admin`.' }),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'CoachLinkLog' });

const userRoleField = z.enum(USER_ROLES);

const adminUserPut = z
  .strictObject({
    role: userRoleField,
    display_name: z.string().trim().min(1).max(120).nullable().optional(),
  })
  .meta({ id: 'AdminUserPut' });
const adminUserPath = z.strictObject({ id: userIdField });
const adminUser = z.object({ id: z.string(), role: userRoleField, created: z.boolean() }).meta({ id: 'AdminUser' });
const adminLink = z.strictObject({ athlete_id: userIdField, coach_id: userIdField }).meta({ id: 'AdminCoachLink' });
const adminLinkResult = z
  .object({ athlete_id: z.string(), coach_id: z.string(), changed: z.boolean() })
  .meta({ id: 'AdminCoachLinkResult' });

export type InviteWire = z.infer<typeof inviteWire>;

/** The coaching endpoints (`api.ts` gathers every domain's). */
export const coachingEndpoints = {
  createInvite: {
    operationId: 'createInvite',
    method: 'POST',
    path: '/coaching/invites',
    tags: ['Coaching'],
    summary: 'Invite an athlete (coaches)',
    description:
      'A single-use code, shown once, expiring after `expires_in_days` (7; at most 30), revocable until accepted. Coaches only (403 otherwise).',
    access: 'write',
    body: inviteCreate,
    response: { status: 201, description: 'The invitation and its code.', schema: inviteCreated },
  },
  listInvites: {
    operationId: 'listInvites',
    method: 'GET',
    path: '/coaching/invites',
    tags: ['Coaching'],
    summary: 'Your invitations (coaches)',
    access: 'write',
    response: { status: 200, description: 'Newest first.', schema: inviteList },
  },
  revokeInvite: {
    operationId: 'revokeInvite',
    method: 'DELETE',
    path: '/coaching/invites/{id}',
    tags: ['Coaching'],
    summary: 'Revoke an invitation (coaches)',
    description: 'Revoking twice answers the same; an accepted invitation → 409 (end the link instead).',
    access: 'write',
    params: invitePathParams,
    errors: [404, 409],
    response: { status: 200, description: 'The revoked invitation.', schema: inviteWire },
  },
  acceptInvite: {
    operationId: 'acceptInvite',
    method: 'POST',
    path: '/coaching/accept',
    tags: ['Coaching'],
    summary: 'Accept a coach’s invitation',
    description:
      'Links you to the coach: from now on the coach reads your data (never writes it). An unknown code → 404; used, revoked or expired → 410; your own → 400. Logged in your audit log.',
    access: 'write',
    body: inviteAccept,
    errors: [404, 410],
    response: { status: 201, description: 'Linked.', schema: inviteAccepted },
  },
  getCoachLinks: {
    operationId: 'getCoachLinks',
    method: 'GET',
    path: '/coaching/links',
    tags: ['Coaching'],
    summary: 'Your coaches and your athletes',
    access: 'write',
    response: { status: 200, description: 'Both sides of your links.', schema: coachLinks },
  },
  endCoachLink: {
    operationId: 'endCoachLink',
    method: 'DELETE',
    path: '/coaching/links/{user_id}',
    tags: ['Coaching'],
    summary: 'End a coach link (either side)',
    description: 'As the athlete, names the coach; as the coach, the athlete. The coach’s access ends at once.',
    access: 'write',
    params: linkPathParams,
    errors: [404],
    response: { status: 200, description: 'Ended.', schema: linkEnded },
  },
  getCoachLinkLog: {
    operationId: 'getCoachLinkLog',
    method: 'GET',
    path: '/coaching/log',
    tags: ['Coaching'],
    summary: 'Your coach links’ audit log',
    description: 'Every link made or ended with you as the athlete: by whom and how, newest first.',
    access: 'write',
    response: { status: 200, description: 'The log.', schema: linkLogWire },
  },
  adminPutUser: {
    operationId: 'adminPutUser',
    method: 'PUT',
    path: '/admin/users/{id}',
    tags: ['Admin'],
    summary: 'Provision a user and its role',
    description:
      'Creates the user, or changes its role (and name). Admin tokens only. The last admin cannot be demoted (409 `last_admin`).',
    access: 'admin',
    params: adminUserPath,
    body: adminUserPut,
    errors: [409],
    response: { status: 200, description: 'The user.', schema: adminUser },
  },
  adminLinkCoach: {
    operationId: 'adminLinkCoach',
    method: 'POST',
    path: '/admin/coach-links',
    tags: ['Admin'],
    summary: 'Link an athlete to a coach',
    description: 'Logged in the athlete’s audit log as done by an admin. Admin tokens only.',
    access: 'admin',
    body: adminLink,
    errors: [404],
    response: { status: 200, description: 'Linked (`changed`: false when it already was).', schema: adminLinkResult },
  },
  adminUnlinkCoach: {
    operationId: 'adminUnlinkCoach',
    method: 'DELETE',
    path: '/admin/coach-links/{athlete_id}/{coach_id}',
    tags: ['Admin'],
    summary: 'End an athlete’s link to a coach',
    access: 'admin',
    params: z.strictObject({ athlete_id: userIdField, coach_id: userIdField }),
    response: { status: 200, description: 'Ended (`changed`: false when there was none).', schema: adminLinkResult },
  },
} as const satisfies Record<string, EndpointSpec>;
