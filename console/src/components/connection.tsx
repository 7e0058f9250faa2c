import { useConnection } from '../api/changes.js';

/** The header's Live dot: green while the change stream is open, red while the server is down. */
export function ConnectionStatus() {
  const s = useConnection();
  return (
    <span
      class={`live${s === 'live' ? ' on' : s === 'down' ? ' down' : ''}`}
      data-testid="connection"
      title="The live connection to amiwatch"
    >
      {s === 'live' ? 'Live' : s === 'down' ? 'Server down' : 'Connecting'}
    </span>
  );
}

/** Above every page while the server does not answer, so an empty list is not read as "nothing there". */
export function ServerDownBanner() {
  const s = useConnection();
  if (s !== 'down') return null;
  return (
    <p class="notice bad" role="alert" data-testid="server-down">
      amiwatch is not answering. Retrying every second; until it is back, what this page shows may be out of date.
    </p>
  );
}
