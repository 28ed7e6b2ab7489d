/**
 * Keeps unsaved metadata edits in localStorage, so a closed tab or a crash
 * does not lose them: `store` writes the edits made on top of a given saved
 * version, `find` returns them when they were made on top of the version the
 * server has now (edits on an older version are stale and dropped), `clear`
 * forgets them after a save or a discard.
 */
export interface TAutosaved {
  /** The edited value, serialized. */
  edited: string;
  /** ISO time of the last autosave. */
  savedAt: string;
}

interface TEntry extends TAutosaved {
  base: string;
}

const keyFor = (scope: string) => `dandi:unsaved-metadata:${scope}`;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled storage (privacy settings): autosave is off
  }
}

export function useAutosave(scope: string) {
  const key = keyFor(scope);
  return {
    store(base: string, edited: string, at = new Date()): void {
      const entry: TEntry = { base, edited, savedAt: at.toISOString() };
      try {
        storage()?.setItem(key, JSON.stringify(entry));
      } catch {
        // Quota exceeded: keep editing without the safety net.
      }
    },
    find(base: string): TAutosaved | null {
      const raw = storage()?.getItem(key);
      if (!raw) return null;
      try {
        const entry = JSON.parse(raw) as TEntry;
        if (entry.base === base && entry.edited !== base) return { edited: entry.edited, savedAt: entry.savedAt };
      } catch {
        // Unreadable entry: drop it below.
      }
      storage()?.removeItem(key);
      return null;
    },
    clear(): void {
      storage()?.removeItem(key);
    },
  };
}
