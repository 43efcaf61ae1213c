// Locks (data rule 6): review leases on order groups. The manager override that lets a
// change into a closed day is `overrideSchema` (ops/auth.ts).
import { z } from 'zod';
import { defineOperation } from '../operation';


export const reviewLeaseSchema = z.object({
  id: z.string(),
  holder: z.object({ id: z.string(), name: z.string() }),
  deviceId: z.string(),
  deviceName: z.string(),
  onThisDevice: z.boolean(),
  since: z.number().int(),
  expiresAt: z.number().int(),
  /** Last acquire or renew. */
  renewedAt: z.number().int(),
});
export type ReviewLease = z.infer<typeof reviewLeaseSchema>;

export const reviewStatusSchema = z.object({
  groupId: z.string(),
  /** Someone holds a lease that has not expired. */
  held: z.boolean(),
  /** The signed-in person holds it, on this device. */
  heldByYou: z.boolean(),
  /** The holder's lease; when free, the most recent expired or released lease (or null). */
  lease: reviewLeaseSchema.nullable(),
  /** Inactivity after which a lease expires. */
  timeoutMs: z.number().int(),
  now: z.number().int(),
});
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

const groupInput = z.object({ groupId: z.string().min(1).max(40) }).strict();

export const locksOps = {
  'locks.reviewStatus': defineOperation({
    summary: 'Who is reviewing an order group, since when, and whether their lease has expired.',
    kind: 'query',
    permission: 'orders.read',
    input: groupInput,
    output: reviewStatusSchema,
  }),
  'locks.acquireReview': defineOperation({
    summary: 'Start reviewing an order group: takes the advisory review lease (refused with LOCKED while someone else holds it).',
    kind: 'command',
    permission: 'orders.review',
    input: groupInput,
    output: reviewStatusSchema,
  }),
  'locks.renewReview': defineOperation({
    summary: 'Keeps your review lease alive while you work (call on activity; writes at most every half timeout).',
    kind: 'command',
    permission: 'orders.review',
    input: groupInput,
    output: reviewStatusSchema,
  }),
  'locks.releaseReview': defineOperation({
    summary: 'Stop reviewing: releases your lease (nothing happens when you do not hold it).',
    kind: 'command',
    permission: 'orders.review',
    input: groupInput,
    output: reviewStatusSchema,
  }),
  'locks.takeOverReview': defineOperation({
    summary: "Take over someone else's review lease, with a reason; recorded in the audit log.",
    kind: 'command',
    permission: 'orders.review',
    input: z
      .object({ groupId: z.string().min(1).max(40), reason: z.string().trim().min(3, 'Say why you are taking over (at least 3 characters).').max(400) })
      .strict(),
    output: reviewStatusSchema,
  }),
} as const;
