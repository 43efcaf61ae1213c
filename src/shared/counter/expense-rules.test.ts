import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normaliseWords, suggestExpenseCategory, type ExpenseCategoryRules } from './expense-rules';

const categories: ExpenseCategoryRules[] = [
  { id: 'c-transport', name: 'Transport', keywordRules: ['fuel', 'taxi', 'boda boda', 'matatu'], sortOrder: 2 },
  { id: 'c-utilities', name: 'Utilities', keywordRules: ['electricity', 'water', 'KPLC', 'power'], sortOrder: 1 },
  { id: 'c-generator', name: 'Generator', keywordRules: ['generator fuel', 'diesel'], sortOrder: 3 },
  { id: 'c-cafe', name: 'Staff meals', keywordRules: ['Café', 'lunch', 'chai'], sortOrder: 4 },
  { id: 'c-old', name: 'Old stuff', keywordRules: ['taxi fare'], active: false },
];

describe('suggestExpenseCategory', () => {
  it('matches whole words, ignoring case and accents', () => {
    expect(suggestExpenseCategory('Taxi to the wholesaler', categories)).toEqual({ categoryId: 'c-transport', categoryName: 'Transport', keyword: 'taxi' });
    expect(suggestExpenseCategory('KPLC token', categories)?.categoryId).toBe('c-utilities');
    expect(suggestExpenseCategory('kplc TOKEN', categories)?.categoryId).toBe('c-utilities');
    expect(suggestExpenseCategory('CAFE near the shop', categories)?.categoryId).toBe('c-cafe');
    expect(suggestExpenseCategory('café', categories)?.categoryId).toBe('c-cafe');
    expect(suggestExpenseCategory('Boda-boda delivery', categories)).toMatchObject({ categoryId: 'c-transport', keyword: 'boda boda' });
  });

  it('does not match inside other words', () => {
    expect(suggestExpenseCategory('refuel', categories)).toBeUndefined();
    expect(suggestExpenseCategory('waterproof sheet', categories)).toBeUndefined();
    expect(suggestExpenseCategory('powerful', categories)).toBeUndefined();
  });

  it('the most specific keyword wins: more words, then more letters', () => {
    expect(suggestExpenseCategory('Generator fuel for the weekend', categories)).toMatchObject({ categoryId: 'c-generator', keyword: 'generator fuel' });
    // "electricity" (11 letters) beats "water" (5)
    expect(suggestExpenseCategory('Water and electricity bill', categories)?.categoryId).toBe('c-utilities');
    // "diesel" (6) beats "fuel" (4)
    expect(suggestExpenseCategory('fuel: diesel', categories)?.categoryId).toBe('c-generator');
  });

  it('ties go to the lowest sortOrder, then name, then id', () => {
    const tie: ExpenseCategoryRules[] = [
      { id: 'b', name: 'Beta', keywordRules: ['power'] },
      { id: 'a', name: 'Alpha', keywordRules: ['water'], sortOrder: 5 },
      { id: 'c', name: 'Alpha', keywordRules: ['power'] },
    ];
    expect(suggestExpenseCategory('power water', tie)?.categoryId).toBe('a');
    expect(suggestExpenseCategory('power', tie)?.categoryId).toBe('c');
  });

  it('skips inactive categories and empty keywords; nothing for an empty description', () => {
    expect(suggestExpenseCategory('taxi fare', categories)?.categoryId).toBe('c-transport');
    expect(suggestExpenseCategory('anything', [{ id: 'x', name: 'X', keywordRules: ['', '  ', '--'] }])).toBeUndefined();
    expect(suggestExpenseCategory('   ', categories)).toBeUndefined();
  });

  it('normalises words', () => {
    expect(normaliseWords('  Crème BRÛLÉE, 2x! ')).toEqual(['creme', 'brulee', '2x']);
    expect(normaliseWords('ﬁsh')).toEqual(['fish']); // NFKD unfolds the ligature
  });

  it('the suggestion does not depend on the order of the categories or of their keywords', () => {
    const words = ['fuel', 'taxi', 'water', 'power', 'diesel', 'generator', 'lunch', 'bill', 'token', 'cafe'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 6 }), fc.nat(), (desc, seed) => {
        const shuffled = [...categories]
          .map((c, i) => ({ c: { ...c, keywordRules: [...c.keywordRules].reverse() }, k: (seed * (i + 7)) % 13 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.c);
        expect(suggestExpenseCategory(desc.join(' '), shuffled)).toEqual(suggestExpenseCategory(desc.join(' '), categories));
      }),
    );
  });
});
