/** The CloudWatch Logs pages, one chunk (loaded through ../lazy-pages.tsx). */
export { LogGroupPage } from './log-group-page.js';
export { LogGroupsPage } from './log-groups-page.js';
export { LogStreamPage } from './log-stream-page.js';
