import { useEffect, useRef, useState } from 'preact/hooks';
import { describeRule, eventbridge, listTags, listTargets } from '../api/eventbridge.js';
import { ApiError } from '../api/http.js';
import { addPermission, getPolicy } from '../api/lambda.js';
import { useSession } from '../api/session.js';
import { ErrorNotice } from '../components/ui.js';
import { go } from '../router.js';
import { patternFromForm } from './catalog.js';
import { emptyDraft, fromTarget, nameProblem, targetArn, toTarget, type Draft, type TargetDraft } from './draft.js';
import { clearDraft, loadDraft, saveDraft } from './draft-store.js';
import { EVENTS_PRINCIPAL, grantInvoke, isFunctionArn } from './invoke-permission.js';
import { StepDetail } from './step-detail.js';
import { patternProblem, StepPattern } from './step-pattern.js';
import { StepTags } from './step-tags.js';
import { StepTargets } from './step-targets.js';
import { missingTarget, useTargetChoices } from './target-choices.js';
import { allowTargetDelivery } from './target-policy.js';

const steps = ['Define rule detail', 'Build event pattern', 'Select target(s)', 'Configure tags', 'Review and create'] as const;

/**
 * The create-rule wizard, the guide's steps in order. "Next" is refused while the step has a
 * problem (a taken or malformed name, an invalid pattern, a target without a resource); "Create
 * rule" writes PutRule then PutTargets (editing also removes the targets that were dropped, and
 * sets the rule's tags with TagResource / UntagResource). In between, as AWS's console does, each
 * Lambda function target's policy is made to let EventBridge invoke it for this rule.
 * Unsaved work is kept while the wizard is left (draft-store.ts) and offered back; Cancel asks
 * before discarding it. Each new step's heading takes the focus, so a screen reader announces it.
 */
export function RuleWizard({ edit }: { edit?: { bus: string; name: string } }) {
  const { region, account } = useSession();
  const [saved] = useState(() => loadDraft(region, edit));
  const [draft, setDraft] = useState<Draft>(() => (saved && !edit ? saved.draft : freshDraft()));
  const [step, setStep] = useState(saved && !edit ? Math.min(saved.step, steps.length - 1) : 0);
  const [restored, setRestored] = useState(Boolean(saved));
  // The draft as it was opened (or loaded): unchanged work is neither kept nor asked about.
  const pristine = useRef<string>(JSON.stringify(freshDraft()));
  const dirty = JSON.stringify(draft) !== pristine.current;
  const { choices } = useTargetChoices();
  const missing = (t: TargetDraft) => missingTarget(t, choices, region, account);
  const [taken, setTaken] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [originalTargets, setOriginalTargets] = useState<string[]>([]);
  const [originalTagKeys, setOriginalTagKeys] = useState<string[]>([]);
  // Editing: the form appears once the rule is read, so nothing typed is overwritten by the load.
  const [loaded, setLoaded] = useState(!edit);
  const set = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  useEffect(() => {
    if (!edit) return;
    const load = async () => {
      const [rule, targets] = await Promise.all([describeRule(edit.bus, edit.name), listTargets(edit.bus, edit.name)]);
      return [rule, targets, await listTags(rule.Arn)] as const;
    };
    load().then(([rule, targets, tags]) => {
      setOriginalTargets((targets.Targets ?? []).map((t) => t.Id));
      setOriginalTagKeys(tags.map((t) => t.Key));
      set({
        name: rule.Name,
        description: rule.Description ?? '',
        bus: edit.bus,
        enabled: rule.State !== 'DISABLED',
        ruleType: rule.ScheduleExpression ? 'schedule' : 'pattern',
        schedule: rule.ScheduleExpression ?? 'rate(5 minutes)',
        patternMode: 'json',
        pattern: rule.EventPattern ? JSON.stringify(JSON.parse(rule.EventPattern), null, 2) : '',
        targets: (targets.Targets ?? []).map(fromTarget),
        tags: tags.map((t) => ({ key: t.Key, value: t.Value })),
      });
      setDraft((d) => {
        pristine.current = JSON.stringify(d);
        return saved ? saved.draft : d;
      });
      if (saved) setStep(Math.min(saved.step, steps.length - 1));
      setLoaded(true);
    }, setError);
  }, [edit?.bus, edit?.name]);

  const problems = [
    nameProblem(draft.name) ?? (taken ? 'The name is taken.' : null),
    draft.ruleType === 'pattern' ? patternProblem(draft.pattern) : draft.schedule.trim() ? null : 'Enter a schedule expression.',
    draft.targets.find((t) => !t.resource.trim() || !t.id.trim())
      ? 'Every target needs a resource and an ID.'
      : (draft.targets.map(missing).find(Boolean) ?? null),
    draft.tags.find((t) => !t.key.trim()) ? 'Every tag needs a key.' : null,
    null,
  ];

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const targets = draft.targets.map((t) => toTarget(t, region, account));
      const { RuleArn } = await eventbridge<{ RuleArn: string }>('PutRule', {
        Name: draft.name,
        EventBusName: draft.bus,
        State: draft.enabled ? 'ENABLED' : 'DISABLED',
        ...(draft.description && { Description: draft.description }),
        ...(draft.ruleType === 'pattern' ? { EventPattern: draft.pattern } : { ScheduleExpression: draft.schedule }),
        ...(!edit && draft.tags.length > 0 && { Tags: draft.tags.map((t) => ({ Key: t.key, Value: t.value })) }),
      });
      // PutRule tags a new rule only; an edited rule's tags change with TagResource / UntagResource.
      if (edit) {
        const removedKeys = originalTagKeys.filter((k) => !draft.tags.some((t) => t.key === k));
        if (removedKeys.length > 0) await eventbridge('UntagResource', { ResourceARN: RuleArn, TagKeys: removedKeys });
        if (draft.tags.length > 0)
          await eventbridge('TagResource', { ResourceARN: RuleArn, Tags: draft.tags.map((t) => ({ Key: t.key, Value: t.value })) });
      }
      // Before PutTargets: an event matched while the target exists without the permission would
      // fail at once with NO_PERMISSIONS (not retried). One function after another, so that two
      // targets on the same function see each other's statement.
      for (const t of targets) if (isFunctionArn(t.Arn)) await allowEventBridge(t.Arn, RuleArn, t.Id);
      // Topics and queues likewise: their policy gets the statement AWS's console adds.
      for (const t of targets) if (!isFunctionArn(t.Arn)) await allowTargetDelivery(t.Arn, RuleArn, t.Id);
      const dropped = originalTargets.filter((id) => !targets.some((t) => t.Id === id));
      if (dropped.length > 0) await eventbridge('RemoveTargets', { Rule: draft.name, EventBusName: draft.bus, Ids: dropped });
      const result = await eventbridge<{ FailedEntryCount?: number; FailedEntries?: { TargetId: string; ErrorMessage: string }[] }>(
        'PutTargets',
        {
          Rule: draft.name,
          EventBusName: draft.bus,
          Targets: targets,
        },
      );
      if (result.FailedEntryCount) throw new Error(result.FailedEntries!.map((f) => `${f.TargetId}: ${f.ErrorMessage}`).join('; '));
      clearDraft(region, edit);
      go('rules', draft.bus);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (loaded && dirty) saveDraft(region, edit, { draft, step });
  }, [draft, step, loaded]);
  const firstStep = useRef(true);
  useEffect(() => {
    if (firstStep.current) return void (firstStep.current = false);
    const heading = document.querySelector<HTMLElement>('.wizard h2');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [step]);
  const cancel = () => {
    if (dirty && !confirm('Discard this draft? What you entered in the wizard will be lost.')) return;
    clearDraft(region, edit);
    go('rules', draft.bus);
  };
  const startOver = () => {
    if (!confirm('Start over? The restored draft will be discarded.')) return;
    clearDraft(region, edit);
    setRestored(false);
    if (edit) return location.reload();
    setDraft(freshDraft());
    setStep(0);
  };

  if (!loaded) return error ? <ErrorNotice error={error} /> : <p class="empty">Loading rule…</p>;
  const body = [
    <StepDetail draft={draft} set={set} editing={Boolean(edit)} onTaken={setTaken} />,
    <StepPattern draft={draft} set={set} />,
    <StepTargets draft={draft} set={set} choices={choices} missing={missing} />,
    <StepTags draft={draft} set={set} />,
    <Review draft={draft} region={region} account={account} onEdit={setStep} />,
  ][step];
  return (
    <div>
      <h1>{edit ? `Edit rule ${edit.name}` : 'Create rule'}</h1>
      <p class="sub">Region {region} · a rule sends matching events on an event bus to its targets.</p>
      {restored && (
        <p class="notice ok" role="status" data-testid="draft-restored">
          Your unsaved draft was restored.{' '}
          <button type="button" onClick={startOver}>
            Start over
          </button>
        </p>
      )}
      <div class="wizard">
        <ol class="steps" aria-label="Steps">
          {steps.map((s, i) => (
            <li key={s} aria-current={i === step ? 'step' : undefined} class={i < step ? 'done' : ''}>
              Step {i + 1}: {s}
            </li>
          ))}
        </ol>
        <div>
          {body}
          <ErrorNotice error={error} />
          {problems[step] && step > 0 && (
            <p class="error" data-testid="step-problem">
              {problems[step]}
            </p>
          )}
          <div class="wizard-actions">
            <button type="button" onClick={cancel}>
              Cancel
            </button>
            {step > 0 && (
              <button type="button" onClick={() => setStep(step - 1)}>
                Previous
              </button>
            )}
            {step < steps.length - 1 ? (
              <button type="button" class="primary" disabled={Boolean(problems[step])} onClick={() => setStep(step + 1)}>
                Next
              </button>
            ) : (
              <button type="button" class="primary" disabled={busy || problems.some(Boolean)} onClick={() => void create()}>
                {edit ? 'Update rule' : 'Create rule'}
              </button>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}

function freshDraft(): Draft {
  const d = emptyDraft();
  return { ...d, pattern: patternFromForm(d.form, 'aws') };
}

/** grantInvoke with the Lambda API; a failure says which target it was for (the rule itself is saved). */
async function allowEventBridge(functionArn: string, ruleArn: string, targetId: string): Promise<void> {
  try {
    await grantInvoke({ getPolicy, addPermission }, functionArn, ruleArn, targetId);
  } catch (e) {
    const why = `target ${targetId}: EventBridge could not be given permission to invoke the function, so the rule's targets were not saved`;
    if (e instanceof ApiError) throw new ApiError(e.code, `${e.message} (${why})`, e.status);
    throw e;
  }
}

/** Step 5: everything that will be written, each part with an Edit that jumps back. */
function Review({ draft, region, account, onEdit }: { draft: Draft; region: string; account: string; onEdit: (step: number) => void }) {
  const section = (title: string, step: number) => (
    <div class="toolbar">
      <h3 class="grow">{title}</h3>
      <button type="button" onClick={() => onEdit(step)} aria-label={`Edit ${title}`}>
        Edit
      </button>
    </div>
  );
  return (
    <section class="panel">
      <h2>Review and create</h2>
      {section('Step 1: Define rule detail', 0)}
      <dl class="kv">
        <dt>Rule name</dt>
        <dd data-testid="review-name">{draft.name}</dd>
        <dt>Description</dt>
        <dd>{draft.description || '-'}</dd>
        <dt>Event bus</dt>
        <dd>{draft.bus}</dd>
        <dt>Rule state</dt>
        <dd>{draft.enabled ? 'Enabled' : 'Disabled'}</dd>
      </dl>
      {section(draft.ruleType === 'pattern' ? 'Step 2: Build event pattern' : 'Step 2: Define schedule', 1)}
      {draft.ruleType === 'pattern' ? <pre data-testid="review-pattern">{draft.pattern}</pre> : <p>{draft.schedule}</p>}
      {section('Step 3: Select target(s)', 2)}
      <ul>
        {draft.targets.map((t) => (
          <li key={t.id}>
            {t.id}: <code>{targetArn(t, region, account)}</code> ({t.input === 'matched' ? 'matched event' : t.input})
          </li>
        ))}
      </ul>
      {draft.targets.some((t) => isFunctionArn(targetArn(t, region, account))) && (
        <p class="hint" data-testid="review-lambda-permission">
          Saving the rule lets EventBridge ({EVENTS_PRINCIPAL}) invoke each Lambda function for this rule, through a statement in the
          function's resource-based policy.
        </p>
      )}
      {section('Step 4: Configure tags', 3)}
      <p>{draft.tags.length ? draft.tags.map((t) => `${t.key}=${t.value}`).join(', ') : 'No tags'}</p>
    </section>
  );
}
