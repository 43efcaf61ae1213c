// In-memory search over a small collection (products, customers: thousands, not
// millions) for search-as-you-type. Loaded on first use, then kept current from the
// collection's change stream, which sees every write (write path and sync alike).
import type { RxChangeEvent, RxCollection } from 'rxdb';
import type { Subscription } from 'rxjs';
import { plain } from './desc-index';

type AnyDoc = Record<string, unknown> & { id: string };

export interface Entry<T> {
  doc: T;
  /** Lower-cased text searched by substring. */
  haystack: string;
  /** Lower-cased name (ranking and order). */
  name: string;
  /** Lower-cased exact keys (barcode, SKU, phone...). */
  keys: string[];
}

export function fold(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export class SearchIndex<T extends { id: string }> {
  private entries: Map<string, Entry<T>> | null = null;
  private sorted: Entry<T>[] | null = null;
  private loading: Promise<Map<string, Entry<T>>> | null = null;
  private pending: RxChangeEvent<AnyDoc>[] | null = null;
  private readonly subscription: Subscription;

  constructor(
    private readonly collection: RxCollection,
    private readonly toEntry: (doc: T) => Entry<T>,
  ) {
    this.subscription = (collection.$ as unknown as { subscribe(fn: (e: RxChangeEvent<AnyDoc>) => void): Subscription }).subscribe((event) => {
      if (this.pending) this.pending.push(event);
      else if (this.entries) this.apply(this.entries, event);
    });
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  /** All entries, sorted by name. */
  async all(): Promise<Entry<T>[]> {
    const map = await this.load();
    if (!this.sorted) this.sorted = [...map.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  async get(id: string): Promise<T | undefined> {
    return (await this.load()).get(id)?.doc;
  }

  /**
   * Best matches first: an exact key (barcode, SKU, phone), then names starting with the
   * query, then a word of the name starting with it, then anything containing every word
   * of the query. Within a rank, by name.
   */
  async search(query: string, limit: number, filter?: (doc: T) => boolean): Promise<T[]> {
    const all = await this.all();
    const q = fold(query.trim());
    if (!q) {
      const out: T[] = [];
      for (const e of all) {
        if (filter && !filter(e.doc)) continue;
        out.push(e.doc);
        if (out.length >= limit) break;
      }
      return out;
    }
    const words = q.split(/\s+/).filter(Boolean);
    const ranks: T[][] = [[], [], [], []];
    for (const e of all) {
      let rank: number;
      if (e.keys.includes(q)) rank = 0;
      else if (e.name.startsWith(q)) rank = 1;
      else if (e.name.includes(' ' + q)) rank = 2;
      else if (words.every((w) => e.haystack.includes(w))) rank = 3;
      else continue;
      if (filter && !filter(e.doc)) continue;
      ranks[rank]!.push(e.doc);
    }
    return ranks.flat().slice(0, limit);
  }

  private load(): Promise<Map<string, Entry<T>>> {
    if (this.entries) return Promise.resolve(this.entries);
    if (!this.loading) {
      this.pending = [];
      this.loading = this.collection
        .find()
        .exec()
        .then((docs) => {
          const map = new Map<string, Entry<T>>();
          for (const d of docs as { toJSON(): unknown }[]) {
            const doc = plain<T>(d.toJSON() as AnyDoc);
            map.set(doc.id, this.toEntry(doc));
          }
          for (const event of this.pending ?? []) this.apply(map, event);
          this.pending = null;
          this.entries = map;
          this.sorted = null;
          return map;
        })
        .finally(() => {
          this.loading = null;
          if (!this.entries) this.pending = null;
        });
    }
    return this.loading;
  }

  private apply(map: Map<string, Entry<T>>, event: RxChangeEvent<AnyDoc>): void {
    const data = event.documentData as AnyDoc | undefined;
    if (event.operation === 'DELETE' || !data || (data as { _deleted?: boolean })._deleted) map.delete(event.documentId);
    else map.set(event.documentId, this.toEntry(plain<T>(data)));
    this.sorted = null;
  }
}
