// One Settings section as a form: the values shown (the person's edits over the core's
// current values), the dirty flag, local and core field errors, and Save that sends
// only the fields whose stored value would change.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { notifications } from '@mantine/notifications';
import type { ApiCallError } from '../../api/client';
import { fieldError } from '../../api/errors';
import { clearDraft, setDirty, setDraftField, useDrafts, type SectionId } from './drafts';

export type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

export interface SectionFormOptions<B, V extends object, U extends object> {
  section: SectionId;
  /** The core's current values (the shop profile, the device). */
  base: B;
  /** The form's values for the stored ones (e.g. 1600 bp -> "16"). Keys are the core's field paths. */
  fromBase: (base: B) => V;
  /** The update for these values, or the reason a field cannot be sent yet. */
  toUpdate: (values: V) => { update: U; errors: FieldErrors<V> };
  /** The operation (from useApiCall): resolves to the saved record, or undefined when it failed. */
  run: (update: U) => Promise<B | undefined>;
  error: ApiCallError | null;
  reset: () => void;
  onSaved: (saved: B) => void;
  /** "Shop details saved." */
  savedMessage: string;
}

export interface SectionForm<V extends object> {
  values: V;
  set: <K extends keyof V & string>(key: K, value: V[K]) => void;
  dirty: boolean;
  /** The error to show on a field: the core's (until the field is edited again) or a local one. */
  errorOf: (key: keyof V & string) => string | undefined;
  /** The core's error when it is not only about the fields shown (those appear on the inputs). */
  alertError: ApiCallError | null;
  submit: () => Promise<boolean>;
  discard: () => void;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function useSectionForm<B, V extends object, U extends object>(options: SectionFormOptions<B, V, U>): SectionForm<V> {
  const { section, base, fromBase, toUpdate, run, error, reset, onSaved, savedMessage } = options;
  const edits = useDrafts((s) => s.edits[section]);
  const baseline = useMemo(() => fromBase(base), [fromBase, base]);
  const values = useMemo(() => ({ ...baseline, ...edits }) as V, [baseline, edits]);
  const dirty = useMemo(() => Object.entries(edits ?? {}).some(([key, value]) => !same(value, baseline[key as keyof V])), [edits, baseline]);
  // Fields edited since the core's last answer: its message no longer applies to them.
  const [editedSinceError, setEditedSinceError] = useState<ReadonlySet<string>>(new Set());
  // After a Save that local checks stopped, every local problem shows, also on fields not edited.
  const [attempted, setAttempted] = useState(false);

  useEffect(() => setDirty(section, dirty), [section, dirty]);

  const { update, errors: localErrors } = useMemo(() => toUpdate(values), [toUpdate, values]);

  const set = useCallback(
    <K extends keyof V & string>(key: K, value: V[K]) => {
      setDraftField(section, key, value);
      setEditedSinceError((prev) => (prev.has(key) ? prev : new Set(prev).add(key)));
    },
    [section],
  );

  const touched = (key: string): boolean => !!edits && key in edits && !same(edits[key as keyof typeof edits], baseline[key as keyof V]);
  const errorOf = (key: keyof V & string): string | undefined => {
    const fromCore = editedSinceError.has(key) ? undefined : fieldError(error, key);
    return fromCore ?? (attempted || touched(key) ? localErrors[key] : undefined);
  };

  const keys = Object.keys(baseline);
  const alertError = error && (error.code !== 'VALIDATION' || !error.issues?.length || error.issues.some((i) => !keys.includes(i.path))) ? error : null;

  const submit = async (): Promise<boolean> => {
    if (Object.keys(localErrors).length > 0) {
      setAttempted(true);
      return false;
    }
    setAttempted(false);
    const before = toUpdate(baseline).update as Record<string, unknown>;
    const changed = Object.fromEntries(Object.entries(update).filter(([key, value]) => !same(value, before[key]))) as U;
    if (Object.keys(changed).length === 0) {
      clearDraft(section);
      reset();
      return true;
    }
    setEditedSinceError(new Set());
    const saved = await run(changed);
    if (saved === undefined) return false;
    clearDraft(section);
    onSaved(saved);
    notifications.show({ color: 'green', title: 'Saved', message: savedMessage, autoClose: 4_000 });
    return true;
  };

  const discard = (): void => {
    setAttempted(false);
    clearDraft(section);
    reset();
  };

  return { values, set, dirty, errorOf, alertError, submit, discard };
}
