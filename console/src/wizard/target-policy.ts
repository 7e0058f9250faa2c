import { ApiError } from '../api/http.js';
import { sns, topicAttributes } from '../api/sns.js';
import { sqs } from '../api/sqs.js';
import { EVENTS_PRINCIPAL, statementId } from './invoke-permission.js';

/**
 * An SNS topic or SQS queue target needs its resource policy to let EventBridge publish / send
 * for the rule; AWS's console adds that statement when it saves such a rule, and so does the
 * wizard (amiwatch enforces the policy as AWS does: NO_PERMISSIONS otherwise). A statement that
 * already lets events.amazonaws.com in for this rule (any Sid) is left alone.
 */
export async function allowTargetDelivery(targetArn: string, ruleArn: string, targetId: string): Promise<void> {
  const [, , service, , account, name] = targetArn.split(':');
  if (service !== 'sns' && service !== 'sqs') return;
  const action = service === 'sns' ? 'sns:Publish' : 'sqs:SendMessage';
  let store: PolicyStore;
  let text: string;
  try {
    store = service === 'sns' ? topicStore(targetArn) : await queueStore(name ?? '', account ?? '');
    text = await store.read();
  } catch (e) {
    // A topic or queue made later is a target PutTargets takes, as on AWS; its policy is then the user's to set.
    if (e instanceof ApiError && MISSING.has(e.code)) return;
    throw e;
  }
  const doc = text
    ? (JSON.parse(text) as { Version?: string; Statement?: Statement[] | Statement })
    : { Version: '2012-10-17', Statement: [] };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  if (statements.some((s) => allows(s, action, ruleArn))) return;
  const statement = {
    Sid: statementId(ruleArn, targetId),
    Effect: 'Allow',
    Principal: { Service: EVENTS_PRINCIPAL },
    Action: action,
    Resource: targetArn,
    Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
  };
  await store.write(JSON.stringify({ ...doc, Statement: [...statements, statement] }));
}

/** How SNS (query) and SQS (JSON, or its legacy query code) say the resource is not there. */
const MISSING = new Set(['NotFound', 'NotFoundException', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);

interface Statement {
  Effect?: string;
  Principal?: string | { Service?: string | string[] };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** An Allow for EventBridge, this action, and either no condition or aws:SourceArn = this rule. */
function allows(s: Statement, action: string, ruleArn: string): boolean {
  if (s.Effect !== 'Allow') return false;
  const principal = s.Principal === '*' || (typeof s.Principal === 'object' && list(s.Principal.Service).includes(EVENTS_PRINCIPAL));
  const acts = list(s.Action).map((a) => a.toLowerCase());
  const act = acts.includes(action.toLowerCase()) || acts.includes('*') || acts.includes(`${action.split(':')[0]}:*`);
  const conditions = Object.values(s.Condition ?? {});
  const source = conditions.every((keys) =>
    Object.entries(keys).every(([k, v]) => k.toLowerCase() !== 'aws:sourcearn' || list(v).includes(ruleArn)),
  );
  return principal && act && source;
}

interface PolicyStore {
  read(): Promise<string>;
  write(policy: string): Promise<void>;
}

function topicStore(TopicArn: string): PolicyStore {
  return {
    read: async () => (await topicAttributes(TopicArn)).Policy ?? '',
    write: async (policy) => void (await sns('SetTopicAttributes', { TopicArn, AttributeName: 'Policy', AttributeValue: policy })),
  };
}

async function queueStore(QueueName: string, owner: string): Promise<PolicyStore> {
  const { QueueUrl } = await sqs<{ QueueUrl: string }>('GetQueueUrl', { QueueName, QueueOwnerAWSAccountId: owner });
  return {
    read: async () =>
      (await sqs<{ Attributes?: Record<string, string> }>('GetQueueAttributes', { QueueUrl, AttributeNames: ['Policy'] })).Attributes
        ?.Policy ?? '',
    write: async (Policy) => void (await sqs('SetQueueAttributes', { QueueUrl, Attributes: { Policy } })),
  };
}
