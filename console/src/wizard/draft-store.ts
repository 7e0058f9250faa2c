import type { Draft } from './draft.js';

/**
 * The wizard's unsaved work, kept in the tab's sessionStorage while the wizard is left — to
 * create the topic the guide asks for, by the browser's Back button, by a link — and offered
 * back when it is opened again. One draft per region and per rule edited (or the new rule).
 */
export interface SavedDraft {
  draft: Draft;
  step: number;
}

const key = (region: string, edit?: { bus: string; name: string }) =>
  `amiwatch.rule-draft.${region}.${edit ? `edit.${edit.bus}/${edit.name}` : 'new'}`;

export function loadDraft(region: string, edit?: { bus: string; name: string }): SavedDraft | null {
  try {
    const raw = sessionStorage.getItem(key(region, edit));
    const saved = raw ? (JSON.parse(raw) as SavedDraft) : null;
    return saved && typeof saved.step === 'number' && saved.draft && Array.isArray(saved.draft.targets) ? saved : null;
  } catch {
    return null;
  }
}

export function saveDraft(region: string, edit: { bus: string; name: string } | undefined, saved: SavedDraft): void {
  try {
    sessionStorage.setItem(key(region, edit), JSON.stringify(saved));
  } catch {
    // storage full or disabled: the draft lives as long as the page does
  }
}

export function clearDraft(region: string, edit?: { bus: string; name: string }): void {
  sessionStorage.removeItem(key(region, edit));
}
