import { z } from 'zod';
import { USER_ROLES } from '@/db/schema/enums';
import { userIdField } from './common';

/** An invitation is valid 7 days unless the coach asks otherwise, at most 30. */
const DEFAULT_INVITE_DAYS = 7;
const MAX_INVITE_DAYS = 30;

export const inviteCreate = z
  .strictObject({
    expires_in_days: z.number().int().min(1).max(MAX_INVITE_DAYS).default(DEFAULT_INVITE_DAYS),
  })
  .meta({ id: 'InviteCreate' });

export const inviteWire = z
  .object({
    invite_id: z.uuid(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    accepted_by: z.string().nullable(),
    accepted_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invite' });

export const inviteCreated = inviteWire
  .extend({ code: z.string().meta({ description: 'Shown once: give it to the athlete.' }) })
  .meta({ id: 'InviteCreated' });

export const inviteList = z.object({ invites: z.array(inviteWire) }).meta({ id: 'InviteList' });
export const invitePathParams = z.strictObject({ id: z.uuid({ error: 'must be an invitation id (a UUID)' }) });

export const inviteAccept = z
  .strictObject({
    code: z.string().trim().min(1, 'Paste the code your coach gave you').max(200).meta({ example: 'ovi_…' }),
  })
  .meta({ id: 'InviteAccept' });
export const inviteAccepted = z
  .object({ coach_id: z.string(), linked: z.boolean().meta({ description: 'False when the link already existed.' }) })
  .meta({ id: 'InviteAccepted' });

export const coachLinks = z
  .object({ coaches: z.array(z.string()), athletes: z.array(z.string()) })
  .meta({ id: 'CoachLinks' });
export const linkPathParams = z.strictObject({ user_id: userIdField });
export const linkEnded = z.object({ athlete_id: z.string(), coach_id: z.string() }).meta({ id: 'CoachLinkEnded' });

export const linkLogWire = z
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

export const adminUserPut = z
  .strictObject({
    role: userRoleField,
    display_name: z.string().trim().min(1).max(120).nullable().optional(),
  })
  .meta({ id: 'AdminUserPut' });
export const adminUserPath = z.strictObject({ id: userIdField });
export const adminUser = z
  .object({ id: z.string(), role: userRoleField, created: z.boolean() })
  .meta({ id: 'AdminUser' });
export const adminLink = z
  .strictObject({ athlete_id: userIdField, coach_id: userIdField })
  .meta({ id: 'AdminCoachLink' });
export const adminLinkResult = z
  .object({ athlete_id: z.string(), coach_id: z.string(), changed: z.boolean() })
  .meta({ id: 'AdminCoachLinkResult' });

export type InviteWire = z.infer<typeof inviteWire>;
