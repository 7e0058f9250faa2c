import type { ComponentType } from 'preact';
import { lazy } from '../components/lazy.js';
import { Loading } from '../components/ui.js';

/**
 * The pages few visits need — CloudWatch Logs, mobile push, CloudTrail — each area its own
 * chunk, fetched when one of its pages is first opened, so the first load of every other page
 * does not carry them (components/lazy.tsx).
 */
function page<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy<P>(
    () => load().then((c) => ({ default: c })),
    (_props, error) =>
      error ? (
        <p class="notice bad" role="alert">
          The page could not be loaded: {String(error)}
        </p>
      ) : (
        <Loading what="the page" />
      ),
  );
}

export const LogGroupsPage = page(() => import('./logs/log-pages.js').then((m) => m.LogGroupsPage));
export const LogGroupPage = page(() => import('./logs/log-pages.js').then((m) => m.LogGroupPage));
export const LogStreamPage = page(() => import('./logs/log-pages.js').then((m) => m.LogStreamPage));
export const ApplicationsPage = page(() => import('./push/push-pages.js').then((m) => m.ApplicationsPage));
export const ApplicationPage = page(() => import('./push/push-pages.js').then((m) => m.ApplicationPage));
export const CloudTrailPage = page(() => import('./cloudtrail/cloudtrail-page.js').then((m) => m.CloudTrailPage));
