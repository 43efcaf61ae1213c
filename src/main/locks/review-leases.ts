// Review leases: a manager who opens an order group for review holds an advisory lease
// (a `locks` document of kind 'review', resource = the group id) that other devices
// see once it has synced. Advisory: it blocks no write, it tells others who is working.
//
// - A lease is live while now < expiresAt. expiresAt = last acquire/renew + the
//   inactivity timeout (10 minutes by default); an expired or released lease is free.
// - A device reuses its lease documents for a group (the person's own, else one that has
//   ended), so documents do not pile up; release sets expiresAt = now (the document
//   stays, so the audit log and other devices see the end).
// - Tie-break: two devices may both take a lease while offline. After sync, among the
//   live leases of a group the holder is the one with the earliest `since`, then the
//   smaller holderDeviceId, then the smaller lease id. Every device computes the same
//   holder from the same documents; the loser's next renew is refused (LOCKED).
// - Taking over ends every other live lease (expiresAt = now, reason names the new
//   holder and why) and starts the taker's lease; it needs a reason and is audited as
//   'review.takeOver'. Every lease change goes through the write path, so it is
//   audited and announced to every window by data.changed.
import { ApiError } from '@shared/api/errors';
import type { ReviewLease, ReviewStatus } from '@shared/api/ops/locks';
import { newId } from '@shared/ids';
import type { LockDoc } from '@shared/schema';
import type { CounterbookDatabase } from '../store/database';
import type { Actor, WritePath, WriteTx } from '../store/write-path';

export const DEFAULT_REVIEW_TIMEOUT_MS = 10 * 60_000;
export const REVIEW_LOCK_KIND = 'review';

export interface ReviewLeasesOptions {
  db: CounterbookDatabase;
  writes: WritePath;
  deviceId: string;
  timeoutMs?: number;
  /** For status reads; writes use the write path's clock. */
  clock?: () => number;
}

/** The holder among a group's leases at `now` (see the tie-break above), or null when free. */
export function currentHolder(leases: readonly LockDoc[], now: number): LockDoc | null {
  let best: LockDoc | null = null;
  for (const lease of leases) {
    if (lease.expiresAt <= now) continue;
    if (!best || compareLeases(lease, best) < 0) best = lease;
  }
  return best;
}

function compareLeases(a: LockDoc, b: LockDoc): number {
  if (a.since !== b.since) return a.since - b.since;
  if (a.holderDeviceId !== b.holderDeviceId) return a.holderDeviceId < b.holderDeviceId ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class ReviewLeases {
  readonly timeoutMs: number;
  private readonly clock: () => number;

  constructor(private readonly options: ReviewLeasesOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_REVIEW_TIMEOUT_MS;
    this.clock = options.clock ?? Date.now;
  }

  async status(groupId: string, viewer: Actor): Promise<ReviewStatus> {
    return this.describe(groupId, await this.leasesOf(groupId), this.clock(), viewer);
  }

  acquire(groupId: string, actor: Actor): Promise<ReviewStatus> {
    return this.write('review.acquire', groupId, actor, undefined, async (tx, leases) => {
      const holder = currentHolder(leases, tx.now);
      if (holder && !this.isMine(holder, actor)) throw new ApiError('LOCKED', await this.heldMessage(holder, tx.now));
      await this.start(tx, groupId, leases, actor, holder ? holder.since : tx.now);
    });
  }

  renew(groupId: string, actor: Actor): Promise<ReviewStatus> {
    return this.write('review.renew', groupId, actor, undefined, async (tx, leases) => {
      const holder = currentHolder(leases, tx.now);
      if (!holder) {
        // Expired while idle and nobody else came: free, so simply take it again.
        await this.start(tx, groupId, leases, actor, tx.now);
        return;
      }
      if (!this.isMine(holder, actor)) {
        const mine = leases.find((l) => this.isMine(l, actor));
        if (mine?.reason?.startsWith('Taken over')) throw new ApiError('LOCKED', `${mine.reason}. Your review lease has ended.`);
        throw new ApiError('LOCKED', await this.heldMessage(holder, tx.now));
      }
      // Renewals are frequent: write only once half the timeout has passed.
      if (holder.expiresAt - tx.now > this.timeoutMs / 2) return;
      await tx.update('locks', holder.id, { expiresAt: tx.now + this.timeoutMs });
    });
  }

  release(groupId: string, actor: Actor): Promise<ReviewStatus> {
    return this.write('review.release', groupId, actor, undefined, async (tx, leases) => {
      for (const lease of leases) {
        if (lease.expiresAt > tx.now && this.isMine(lease, actor)) await tx.update('locks', lease.id, { expiresAt: tx.now, reason: 'Released' });
      }
    });
  }

  takeOver(groupId: string, actor: Actor, reason: string): Promise<ReviewStatus> {
    const why = reason.trim();
    if (why.length < 3) throw new ApiError('VALIDATION', 'Say why you are taking over.', [{ path: 'reason', message: 'Say why you are taking over.' }]);
    return this.write('review.takeOver', groupId, actor, why, async (tx, leases) => {
      const ended = `Taken over by ${actor.name || 'another manager'}: ${why}`.slice(0, 500);
      for (const lease of leases) {
        if (lease.expiresAt > tx.now && !this.isMine(lease, actor)) await tx.update('locks', lease.id, { expiresAt: tx.now, reason: ended });
      }
      await this.start(tx, groupId, leases, actor, tx.now);
    });
  }

  /** Runs one lease action through the write path, then answers with the new status. */
  private async write(
    action: string,
    groupId: string,
    actor: Actor,
    reason: string | undefined,
    plan: (tx: WriteTx, leases: LockDoc[]) => Promise<void>,
  ): Promise<ReviewStatus> {
    await this.options.writes.run({ action, actor, ...(reason ? { reason } : {}) }, async (tx) => {
      const group = await tx.get('orderGroups', groupId);
      if (!group) throw new ApiError('NOT_FOUND', 'That order group does not exist (it may have been deleted).');
      // Read inside the write queue: no other local write can change the leases meanwhile.
      await plan(tx, await this.leasesOf(groupId));
    });
    return this.status(groupId, actor);
  }

  /** Makes (or keeps) this device's lease document the actor's live lease. */
  private async start(tx: WriteTx, groupId: string, leases: LockDoc[], actor: Actor, since: number): Promise<void> {
    const fields = { holder: actor.userId, holderDeviceId: this.options.deviceId, since, expiresAt: tx.now + this.timeoutMs, reason: '' };
    // Reuse the actor's own document on this device, else one of this device's leases that
    // had already ended before this action (a lease ended by this very action stays as the record of that end).
    const ofThisDevice = leases.filter((l) => l.holderDeviceId === this.options.deviceId).sort((a, b) => b.updatedAt - a.updatedAt);
    const own = ofThisDevice.find((l) => l.holder === actor.userId) ?? ofThisDevice.find((l) => l.expiresAt <= tx.now);
    if (own) await tx.update('locks', own.id, fields);
    else await tx.insert('locks', { id: newId(), kind: REVIEW_LOCK_KIND, resource: groupId, ...fields });
  }

  private isMine(lease: LockDoc, actor: Actor): boolean {
    return lease.holder === actor.userId && lease.holderDeviceId === this.options.deviceId;
  }

  private async leasesOf(groupId: string): Promise<LockDoc[]> {
    const docs = await this.options.db.collections.locks.find({ selector: { kind: REVIEW_LOCK_KIND, resource: groupId } }).exec();
    return docs.map((d) => d.toMutableJSON() as LockDoc);
  }

  private async heldMessage(holder: LockDoc, now: number): Promise<string> {
    const lease = await this.lease(holder, null);
    const minutes = Math.max(1, Math.round((now - holder.since) / 60_000));
    const where = lease.onThisDevice ? 'on this device' : `on ${lease.deviceName}`;
    return `${lease.holder.name} has been reviewing this group for ${minutes} minute${minutes === 1 ? '' : 's'} (${where}). Take over if they have stopped; it will be recorded.`;
  }

  private async describe(groupId: string, leases: LockDoc[], now: number, viewer: Actor): Promise<ReviewStatus> {
    const holder = currentHolder(leases, now);
    const latest = holder ?? [...leases].sort((a, b) => b.expiresAt - a.expiresAt)[0] ?? null;
    return {
      groupId,
      held: holder !== null,
      heldByYou: holder !== null && this.isMine(holder, viewer),
      lease: latest ? await this.lease(latest, viewer) : null,
      timeoutMs: this.timeoutMs,
      now,
    };
  }

  private async lease(doc: LockDoc, viewer: Actor | null): Promise<ReviewLease> {
    const { db, deviceId } = this.options;
    const [user, device] = await Promise.all([
      doc.holder ? db.collections.users.findOne(doc.holder).exec() : null,
      db.collections.devices.findOne(doc.holderDeviceId).exec(),
    ]);
    const name = user?.name ?? (viewer && viewer.userId === doc.holder ? viewer.name : doc.holder ? 'Another manager' : 'System');
    return {
      id: doc.id,
      holder: { id: doc.holder, name },
      deviceId: doc.holderDeviceId,
      deviceName: device ? `${device.name} (${device.code})` : doc.holderDeviceId === deviceId ? 'this device' : 'another device',
      onThisDevice: doc.holderDeviceId === deviceId,
      since: doc.since,
      expiresAt: doc.expiresAt,
      renewedAt: doc.updatedAt,
    };
  }
}
