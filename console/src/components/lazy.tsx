import type { ComponentType, VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A component whose code is fetched the first time it renders (its own chunk: vite splits at
 * the dynamic import), with `fallback` shown until then. The code editor and the charts are
 * most of the console's weight and only a few pages use them.
 */
export function lazy<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
  fallback: (props: P, error: unknown) => VNode,
): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<unknown>(null);
    useEffect(() => {
      if (component) return;
      loading ??= load().then((m) => (loaded = m.default));
      loading.then(
        (c) => setComponent(() => c),
        (e: unknown) => {
          loading = undefined; // a later render may retry (the server was restarting)
          setError(e);
        },
      );
    }, []);
    const Component = component;
    return Component ? <Component {...props} /> : fallback(props, error);
  };
}
