// Unsaved edits of the Settings sections, kept outside the components so that they
// survive switching areas (Back button, a lock, a shortcut that was not guarded) until
// the person saves or discards them. Only fields the person touched are stored; the
// rest always shows the core's current value. Drafts belong to one person: another
// person signing in starts clean.
import { create } from 'zustand';

export const SECTION_IDS = ['shop', 'invoices', 'branding', 'money', 'security', 'device'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const SECTION_LABELS: Record<SectionId, string> = {
  shop: 'Shop',
  invoices: 'Invoices and receipts',
  branding: 'Branding',
  money: 'Money and tax',
  security: 'Security',
  device: 'Device',
};

type Edits = Record<string, unknown>;

interface DraftState {
  owner: string | null;
  edits: Partial<Record<SectionId, Edits>>;
  /** Sections whose edits differ from the saved values (set by each section's form). */
  dirty: Partial<Record<SectionId, boolean>>;
}

export const useDrafts = create<DraftState>(() => ({ owner: null, edits: {}, dirty: {} }));

/** Makes the drafts belong to this person (forgetting another person's). */
export function claimDrafts(userId: string): void {
  if (useDrafts.getState().owner !== userId) useDrafts.setState({ owner: userId, edits: {}, dirty: {} });
}

export function setDraftField(section: SectionId, key: string, value: unknown): void {
  useDrafts.setState((s) => ({ edits: { ...s.edits, [section]: { ...s.edits[section], [key]: value } } }));
}

export function clearDraft(section: SectionId): void {
  useDrafts.setState((s) => ({ edits: { ...s.edits, [section]: {} }, dirty: { ...s.dirty, [section]: false } }));
}

export function setDirty(section: SectionId, dirty: boolean): void {
  if ((useDrafts.getState().dirty[section] ?? false) !== dirty) useDrafts.setState((s) => ({ dirty: { ...s.dirty, [section]: dirty } }));
}

export function dirtySections(state: DraftState = useDrafts.getState()): SectionId[] {
  return SECTION_IDS.filter((id) => state.dirty[id]);
}
