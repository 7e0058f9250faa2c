import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/rules/new`), so the server serves one index.html and deep links still work. */
export function useRoute(): string[] {
  const read = () => (location.hash.replace(/^#\/?/, '') || 'rules').split('/').map(decodeURIComponent);
  const [route, set] = useState(read);
  useEffect(() => {
    const on = () => set(read());
    addEventListener('hashchange', on);
    // A hash changed between the first render and this effect (a fast link, a test's goto) is not missed.
    on();
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const go = (...parts: string[]): void => {
  location.hash = `#/${parts.map(encodeURIComponent).join('/')}`;
};
