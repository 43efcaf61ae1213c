import { z } from 'zod';
import { ROLES } from '../../auth/permissions';
import { defineOperation } from '../operation';
import { pinSchema, sessionSchema } from './auth';

export const personSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  active: z.boolean(),
  canSignIn: z.boolean(),
  lastLoginAt: z.number().int().nullable(),
});
export type Person = z.infer<typeof personSchema>;

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  status: z.enum(['pending', 'used', 'expired', 'revoked']),
  expiresAt: z.number().int(),
  createdAt: z.number().int(),
  createdBy: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

export const peopleOps = {
  'people.list': defineOperation({
    summary: 'Everyone with an account, with role, status and last sign-in.',
    kind: 'query',
    permission: 'people.read',
    input: z.object({ includeInactive: z.boolean().default(true) }).strict(),
    output: z.array(personSchema),
  }),
  'people.invitations': defineOperation({
    summary: 'Invitations, newest first.',
    kind: 'query',
    permission: 'people.manage',
    input: z.object({}).strict(),
    output: z.array(invitationSchema),
  }),
  'people.invite': defineOperation({
    summary: 'Invites a person with a role; returns the one-time token to hand over.',
    kind: 'command',
    permission: 'people.manage',
    input: z
      .object({
        email: z.email('Enter a valid e-mail address.').max(254),
        role: z.enum(ROLES),
        expiresInHours: z.number().int().min(1, 'At least 1 hour.').max(24 * 30, 'At most 30 days.').default(72),
      })
      .strict(),
    output: z.object({ invitation: invitationSchema, token: z.string() }),
  }),
  'people.revokeInvitation': defineOperation({
    summary: 'Withdraws a pending invitation.',
    kind: 'command',
    permission: 'people.manage',
    input: z.object({ invitationId: z.string().min(1).max(40) }).strict(),
    output: invitationSchema,
  }),
  'people.redeemInvitation': defineOperation({
    summary: 'A new person redeems their invitation token on a paired device, sets their name and PIN, and is signed in.',
    kind: 'command',
    permission: 'public',
    input: z
      .object({
        token: z.string().trim().min(10, 'Paste the whole invitation code.').max(200),
        name: z.string().trim().min(1, 'Enter your name.').max(200),
        pin: pinSchema,
      })
      .strict(),
    output: sessionSchema,
  }),
  'people.setActive': defineOperation({
    summary: 'Disables or re-enables a person (a disabled person cannot sign in).',
    kind: 'command',
    permission: 'people.manage',
    input: z.object({ userId: z.string().min(1).max(40), active: z.boolean() }).strict(),
    output: personSchema,
  }),
  'people.setRole': defineOperation({
    summary: "Changes a person's role.",
    kind: 'command',
    permission: 'people.manage',
    input: z.object({ userId: z.string().min(1).max(40), role: z.enum(ROLES) }).strict(),
    output: personSchema,
  }),
  'people.resetPin': defineOperation({
    summary: "Sets a new PIN for a person who forgot theirs (an admin action, audited).",
    kind: 'command',
    permission: 'people.manage',
    input: z.object({ userId: z.string().min(1).max(40), pin: pinSchema }).strict(),
    output: personSchema,
  }),
  'people.clientManagers': defineOperation({
    summary: 'Which manager looks after which client.',
    kind: 'query',
    permission: 'people.read',
    input: z.object({}).strict(),
    output: z.array(z.object({ id: z.string(), clientId: z.string(), managerId: z.string(), assignedAt: z.number().int() })),
  }),
  'people.assignClientManager': defineOperation({
    summary: 'Assigns a client to a manager (replacing the previous manager).',
    kind: 'command',
    permission: 'people.manage',
    input: z.object({ clientId: z.string().min(1).max(40), managerId: z.string().min(1).max(40) }).strict(),
    output: z.object({ id: z.string(), clientId: z.string(), managerId: z.string(), assignedAt: z.number().int() }),
  }),
} as const;

