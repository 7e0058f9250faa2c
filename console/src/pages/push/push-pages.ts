/** The mobile push pages, one chunk (loaded through ../lazy-pages.tsx). */
export { ApplicationPage } from './application-page.js';
export { ApplicationsPage } from './applications-page.js';
