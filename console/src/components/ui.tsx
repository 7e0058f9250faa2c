import type { ComponentChildren } from 'preact';

/** Small shared pieces: state badges, empty states, errors, a "next page" pager. */
export function Badge({ state }: { state: string }) {
  const s = state.toLowerCase();
  const tone = ['available', 'enabled', 'delivered', 'ok', 'confirmed', 'completed', 'active', 'successful', 'logging'].includes(s)
    ? 'ok'
    : ['pending', 'retry', 'in progress', 'running', 'cancelling'].includes(s)
      ? 'warn'
      : ['failed', 'error', 'invalid'].includes(s)
        ? 'bad'
        : 'off';
  return <span class={`badge ${tone}`}>{state}</span>;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children}
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as { code?: string; message?: string };
  return (
    <p class="notice bad" role="alert">
      {e.code ? `${e.code}: ` : ''}
      {e.message ?? String(error)}
    </p>
  );
}

/** Token paging as the AWS APIs do it: a stack of tokens gives "previous" without re-reading. */
export function Pager({ page, hasNext, onPrev, onNext }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  if (page === 0 && !hasNext) return null;
  return (
    <div class="pager">
      <button onClick={onPrev} disabled={page === 0} aria-label="Previous page">
        ‹ Prev
      </button>
      <span>Page {page + 1}</span>
      <button onClick={onNext} disabled={!hasNext} aria-label="Next page">
        Next ›
      </button>
    </div>
  );
}

/** What a page shows while its first answer is on its way (not an empty list). */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading-line" aria-busy="true" data-testid="loading">
      Loading {what}…
    </p>
  );
}
