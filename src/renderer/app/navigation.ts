// Which area is open. The URL hash mirrors it (`#/orders`), so a reload keeps the area
// and Back/Forward work; only the hash is touched, never the `?token=` query.
import { create } from 'zustand';
import { DEFAULT_AREA, areaFromHash, hashForArea, type AreaId } from './areas';

interface NavigationState {
  area: AreaId;
  go: (area: AreaId) => void;
}

export const useNavigation = create<NavigationState>((set, get) => ({
  area: areaFromHash(window.location.hash) ?? DEFAULT_AREA,
  go: (area) => {
    if (get().area === area) return;
    set({ area });
    window.location.hash = hashForArea(area);
  },
}));

/** Keeps the store and the hash in step; returns the cleanup. Call once at start-up. */
export function bindNavigationToHash(): () => void {
  const current = useNavigation.getState().area;
  if (areaFromHash(window.location.hash) !== current) window.history.replaceState(null, '', hashForArea(current));
  const onHashChange = (): void => {
    const area = areaFromHash(window.location.hash);
    if (area) useNavigation.setState({ area });
  };
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}
