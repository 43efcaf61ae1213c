import { describe, expect, it } from 'vitest';
import { rowsOfWholeWrites } from './engine';

const rows = (...collections: string[]) => collections.map((collection, i) => ({ collection, seq: i + 1 }));

describe('rowsOfWholeWrites: a push batch never ends inside one local write', () => {
  it('keeps a batch that ends at a write boundary, or with nothing after it', () => {
    expect(rowsOfWholeWrites(rows('sales', 'auditLog', 'products', 'auditLog'), { collection: 'expenses' })).toBe(4);
    expect(rowsOfWholeWrites(rows('sales', 'auditLog', 'products'), undefined)).toBe(3);
  });
  it('cuts back to the last whole write when the batch ends between a change and its audit entries', () => {
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales'), { collection: 'auditLog' })).toBe(2);
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales', 'drawerMovements'), { collection: 'auditLog' })).toBe(2);
    // Between two audit entries of one write.
    expect(rowsOfWholeWrites(rows('products', 'auditLog', 'sales', 'expenses', 'auditLog'), { collection: 'auditLog' })).toBe(2);
  });
  it('sends the batch as it is when it holds no boundary (one write larger than a batch, rows without audit entries)', () => {
    expect(rowsOfWholeWrites(rows('sales', 'sales', 'sales'), { collection: 'auditLog' })).toBe(3);
    expect(rowsOfWholeWrites(rows('sales', 'sales'), { collection: 'sales' })).toBe(2);
  });
});
