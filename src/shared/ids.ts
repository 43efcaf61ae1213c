// Ids are made on the device, never by the server (DESIGN.md, data rule 2): UUIDv7,
// which starts with a 48-bit millisecond timestamp, so ids sort by creation time and
// index well, and two offline devices can never collide.
import { v7 as uuidv7 } from 'uuid';

/** Every primary key fits in this many characters (a UUID is 36). */
export const ID_MAX_LENGTH = 40;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_V7_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A new time-ordered id (UUIDv7). Monotonic within this process, even within one millisecond. */
export function newId(): string {
  return uuidv7();
}

/**
 * A UUIDv7 for a given time, e.g. when importing history or generating demo data.
 * Pass 16 random bytes to make it deterministic (the timestamp and version bits
 * overwrite the first bytes).
 */
export function newIdAt(epochMs: number, random?: Uint8Array): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs >= 2 ** 48) {
    throw new RangeError(`newIdAt: ${epochMs} is not a millisecond timestamp`);
  }
  return random ? uuidv7({ msecs: epochMs, random }) : uuidv7({ msecs: epochMs });
}

export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID_RE.test(s);
}

export function isUuidV7(s: unknown): s is string {
  return typeof s === 'string' && UUID_V7_RE.test(s);
}

/** The creation time (epoch ms) embedded in a UUIDv7, or undefined for other ids. */
export function idTime(id: string): number | undefined {
  if (!isUuidV7(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
