// A Settings section backed by `settings.updateShopProfile`.
import type { ShopProfile } from '@shared/api/ops/settings';
import type { OpInput } from '@shared/api/contract';
import { useApiCall } from '../../api/hooks';
import { refreshSession } from '../../api/session-store';
import type { SectionId } from './drafts';
import { useSectionForm, type FieldErrors, type SectionForm } from './useSectionForm';

export type ProfileUpdate = OpInput<'settings.updateShopProfile'>;

export interface ProfileSectionProps {
  profile: ShopProfile;
  onSaved: (profile: ShopProfile) => void;
  editable: boolean;
}

export function useProfileSection<V extends object>(
  section: SectionId,
  { profile, onSaved }: ProfileSectionProps,
  fromProfile: (profile: ShopProfile) => V,
  toUpdate: (values: V) => { update: ProfileUpdate; errors: FieldErrors<V> },
  savedMessage: string,
): { form: SectionForm<V>; loading: boolean } {
  const call = useApiCall('settings.updateShopProfile');
  const form = useSectionForm({
    section,
    base: profile,
    fromBase: fromProfile,
    toUpdate,
    run: call.run,
    error: call.error,
    reset: call.reset,
    onSaved: (saved: ShopProfile) => {
      onSaved(saved);
      // The shop name and the idle lock also live in the session (header, idle timer).
      void refreshSession();
    },
    savedMessage,
  });
  return { form, loading: call.loading };
}
