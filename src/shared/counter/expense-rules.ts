// Suggests an expense category from the description the cashier types, using each
// category's keyword rules.
//
// Matching: case- and accent-insensitive (Unicode NFKD, marks removed, lower case),
// whole words only: text and keywords are split into words of letters and digits, and a
// keyword (one or more words, e.g. "office supplies") matches a run of whole words in
// the description ("Fuel" matches "fuel for generator" but not "refuel"; "café"
// matches "CAFE"). The most specific keyword wins: the one with most words, then the
// most characters; ties go to the category with the lowest sortOrder, then name, then
// id, so the suggestion is deterministic. Inactive categories are skipped.

export interface ExpenseCategoryRules {
  id: string;
  name: string;
  keywordRules: readonly string[];
  active?: boolean;
  sortOrder?: number;
}

export interface ExpenseCategorySuggestion {
  categoryId: string;
  categoryName: string;
  /** The keyword rule that matched, as the category lists it. */
  keyword: string;
}

/** Lower case, accents removed, words of letters/digits only. */
export function normaliseWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

interface Candidate {
  category: ExpenseCategoryRules;
  keyword: string;
  wordCount: number;
  charCount: number;
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.wordCount !== b.wordCount) return a.wordCount > b.wordCount;
  if (a.charCount !== b.charCount) return a.charCount > b.charCount;
  const sa = a.category.sortOrder ?? Number.MAX_SAFE_INTEGER;
  const sb = b.category.sortOrder ?? Number.MAX_SAFE_INTEGER;
  if (sa !== sb) return sa < sb;
  if (a.category.name !== b.category.name) return a.category.name < b.category.name;
  if (a.category.id !== b.category.id) return a.category.id < b.category.id;
  return a.keyword < b.keyword;
}

/** The suggested category for a description, or undefined when no keyword matches. */
export function suggestExpenseCategory(description: string, categories: readonly ExpenseCategoryRules[]): ExpenseCategorySuggestion | undefined {
  const words = normaliseWords(description);
  if (words.length === 0) return undefined;
  let best: Candidate | undefined;
  for (const category of categories) {
    if (category.active === false) continue;
    for (const keyword of category.keywordRules) {
      const phrase = normaliseWords(keyword);
      if (phrase.length === 0 || !containsPhrase(words, phrase)) continue;
      const c: Candidate = { category, keyword, wordCount: phrase.length, charCount: phrase.join(' ').length };
      if (!best || better(c, best)) best = c;
    }
  }
  return best && { categoryId: best.category.id, categoryName: best.category.name, keyword: best.keyword };
}
