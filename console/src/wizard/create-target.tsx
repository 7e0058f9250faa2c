import { useState } from 'preact/hooks';
import { eventbridge } from '../api/eventbridge.js';
import { sns } from '../api/sns.js';
import { sqs } from '../api/sqs.js';
import { ErrorNotice } from '../components/ui.js';
import type { TargetKind } from './draft.js';

/**
 * The "create one" path of a target that does not exist yet: a topic, queue or event bus is
 * created here with its defaults (CreateTopic, CreateQueue, CreateEventBus; the guide's email
 * subscription is added on the SNS page afterwards); a function needs code, so it links to
 * Create function — the draft is kept while the wizard is left (draft-store.ts). The choices
 * refresh through the change stream, which clears the message.
 */
export function CreateTargetResource({ kind, name }: { kind: TargetKind; name: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (kind === 'lambda') return <a href="#/functions">Create function…</a>;
  if (name.startsWith('arn:')) return null;
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'sns') await sns('CreateTopic', { Name: name });
      else if (kind === 'sqs') await sqs('CreateQueue', { QueueName: name });
      else await eventbridge('CreateEventBus', { Name: name });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const noun = kind === 'sns' ? 'topic' : kind === 'sqs' ? 'queue' : 'event bus';
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void create()}>
        {busy ? 'Creating…' : `Create ${noun} ${name}`}
      </button>
      <ErrorNotice error={error} />
    </>
  );
}
