// What a restore must not roll back: this device's audit entries (the log is append-only
// and the server may already hold them) and its invoice and credit-note numbers (a number
// once given out is never given again). Both are read from the data the restore replaced,
// the pre-restore backup, and carried into the restored store.
import Database from 'better-sqlite3';
import type { RxDocumentData } from 'rxdb';
import { allCollections, type AuditLogDoc, type InvoiceCounterDoc } from '@shared/schema';
import { docsTableNameOf, quoteIdentifier } from '../store/rxstorage-better-sqlite3/table-layout';

export interface CarriedForward {
  /** This device's audit entries after `afterSeq`, in chain order. */
  audit: RxDocumentData<AuditLogDoc>[];
  /** This device's numbering when the data was replaced, if it had any. */
  counter: Pick<InvoiceCounterDoc, 'lastInvoiceSeq' | 'lastCreditNoteSeq'> | null;
}

function table(collection: 'auditLog' | 'invoiceCounters'): string {
  return quoteIdentifier(docsTableNameOf(collection, allCollections[collection].schema.version));
}

/** Reads what to carry forward from a closed store file (opened read-only, never changed). */
export function readCarriedForward(file: string, deviceId: string, afterSeq: number): CarriedForward {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const audit = db
      .prepare(`SELECT data FROM ${table('auditLog')} WHERE deleted = 0 AND json_extract(data, '$.deviceId') = ? AND json_extract(data, '$.seq') > ? ORDER BY json_extract(data, '$.seq')`)
      .pluck()
      .all(deviceId, afterSeq)
      .map((data) => JSON.parse(data as string) as RxDocumentData<AuditLogDoc>);
    const counterJson = db.prepare(`SELECT data FROM ${table('invoiceCounters')} WHERE deleted = 0 AND json_extract(data, '$.id') = ?`).pluck().get(deviceId) as string | undefined;
    const counterDoc = counterJson ? (JSON.parse(counterJson) as InvoiceCounterDoc) : null;
    return { audit, counter: counterDoc ? { lastInvoiceSeq: counterDoc.lastInvoiceSeq, lastCreditNoteSeq: counterDoc.lastCreditNoteSeq } : null };
  } finally {
    db.close();
  }
}
