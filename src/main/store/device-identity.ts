import type Database from 'better-sqlite3';
import { newId } from '@shared/ids';
import { readMeta, writeMeta } from './open-store';

/**
 * This device's id, made on the device at the first start of its store (data rule 2)
 * and kept in the store file, so a backup restored onto a replacement machine carries
 * on as the same device (same audit chain, same invoice series).
 */
export function ensureDeviceId(sqlite: Database.Database): string {
  const existing = readMeta(sqlite, 'deviceId');
  if (existing) return existing;
  const id = newId();
  writeMeta(sqlite, 'deviceId', id);
  return id;
}
