import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { guardedProps } from './private/construction';
import { EXACT_ACTIONS } from './private/exact-actions';
import { stackSingleton } from './private/stack-singleton';

/** Construct id of the per-stack key, a child of the stack. Public contract: do not rename. */
export const STACK_KEY_ID = 'AegisEncryptionKey';

/** Data-plane actions a service needs to encrypt and decrypt with the key (no wildcards). */
export const KMS_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'];

/**
 * The customer-managed KMS key cdk-aegis constructs of a stack share.
 *
 * One key per stack, created on first use, with automatic rotation. Its key
 * policy keeps the account-root statement AWS recommends (so IAM policies can
 * grant use) and lets CloudWatch Logs use the key only for log groups of this
 * account and region. Services such as SQS, SNS and Lambda use it through the
 * IAM grants cdk-aegis writes, each restricted with `kms:ViaService` to that
 * service and `kms:CallerAccount` to this account.
 */
export class StackKey {
  /** Construct id of the per-stack key, a child of the stack. Public contract: do not rename. */
  public static readonly CONSTRUCT_ID: string = STACK_KEY_ID;

  /**
   * The stack's shared key, created on first call.
   *
   * @param scope any construct in the stack
   */
  public static of(scope: IConstruct): kms.IKey {
    return stackSingleton(scope, STACK_KEY_ID, "cdk-aegis's shared encryption key", (c) => c instanceof kms.Key, createStackKey);
  }

  private constructor() {}
}

function createStackKey(stack: Stack): kms.Key {
  const key = new StackKeyResource(stack, STACK_KEY_ID, guardedProps(stack, STACK_KEY_ID, 'stack key', { name: 'kms.Key', injectionId: kms.Key.PROPERTY_INJECTION_ID }, {
    description: `cdk-aegis: encryption key shared by the secure constructs of stack ${stack.stackName}`,
    enableKeyRotation: true,
  }, {
    enableKeyRotation: { instead: 'the stack key rotates every year' },
    policy: { instead: 'the stack key writes its own policy; add statements with `StackKey.of(scope).addToResourcePolicy(...)`' },
    admins: { instead: 'the stack key keeps the account-root statement; grant through IAM' },
    removalPolicy: { instead: 'the stack key is retained' },
    pendingWindow: { instead: 'the stack key keeps the default deletion window', weakens: () => false },
  }));
  // CloudWatch Logs sends the log group's ARN as encryption context; ArnLike on it holds the key to this account's
  // and region's log groups ("kms:EncryptionContext:aws:logs:arn", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: KMS_USE_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }),
  );
  // Grants outlive policy reviews and are invisible in the key policy: only AWS services may create them
  // (for the resources they encrypt, e.g. a Lambda function's environment or a DynamoDB table). The Deny
  // matches only when both keys are false (conditions of one block are ANDed), so either being true lets the
  // request through. GrantIsForAWSResource is read with IfExists: should KMS leave it out of a direct call,
  // the Deny still applies; aws:PrincipalIsAWSService is present in every request.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsExceptForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' },
        Bool: { 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  return key;
}

/**
 * The stack key: a `kms.Key` whose policy never names a resource that uses
 * the key. aws-cdk-lib adds some statements to a queue's key by itself (e.g.
 * `SqsSubscription` scopes SNS to the topic's ARN); when that topic is
 * encrypted with this same key, the key and the topic would depend on each
 * other. Such a condition is narrowed to the service's resources of this
 * account and region instead (see {@link scopeServiceUse}).
 */
class StackKeyResource extends kms.Key {
  public addToResourcePolicy(statement: iam.PolicyStatement, allowNoOp?: boolean): iam.AddToResourcePolicyResult {
    const [first, ...more] = scopedServiceStatements(this, withoutResourceReferences(this, statement));
    const result = super.addToResourcePolicy(first, allowNoOp);
    more.forEach((extra) => super.addToResourcePolicy(extra, allowNoOp));
    return result;
  }
}

/**
 * `key` as the key of a plain queue or topic (SecureDefaults): the grants
 * aws-cdk-lib's L2 makes on it (`grantSendMessages`, `grantConsumeMessages`,
 * `grantPublish`: all through the key's `grant*` methods) give only
 * `kms:GenerateDataKey` / `kms:Decrypt`, through SQS or SNS only, from the
 * principal's account (`kms:ViaService`, `kms:CallerAccount`), as
 * SecureQueue's and SecureTopic's do; a principal of another account is
 * also named in the key policy; an AWS service principal is let in by the
 * key policy for what a delivery needs. Anything else is the key itself.
 *
 * @internal
 */
export function keyUsedThrough(key: kms.IKey): kms.IKey {
  const stack = Stack.of(key);
  // SQS or SNS: a queue may be given a topic's key (and the topic's key reaches a dead-letter queue), so either service.
  const viaService = ['sqs', 'sns'].map((s) => `${s}.${stack.region}.amazonaws.com`);
  const exact = (actions: string[]) => [...new Set(actions.flatMap((a) => EXACT_ACTIONS[a] ? [...EXACT_ACTIONS[a]] : [a]))];
  const through = (grantee: iam.IGrantable, actions: string[]): iam.Grant => {
    const principal = grantee.grantPrincipal;
    const fragment = principal.policyFragment;
    if (serviceNames(stack, fragment.principalJson).length > 0 && Object.keys(fragment.principalJson).length === 1) {
      // An AWS service (e.g. EventBridge given send permission on a queue): the key policy lets it in for a delivery.
      return grantKeyUseViaService(key, grantee, 'sqs', DESTINATION_KEY_ACTIONS);
    }
    // What a sender, consumer or publisher needs of the key, never more (SecureQueue's and SecureTopic's grants).
    const spelled = exact(actions);
    const needed = DESTINATION_KEY_ACTIONS.filter((a) => spelled.includes(a));
    const account = principal.principalAccount;
    const conditions = { StringEquals: { 'kms:ViaService': viaService, 'kms:CallerAccount': account ?? stack.account } };
    const otherAccount = account !== undefined && !Token.isUnresolved(account) && !Token.isUnresolved(stack.account) && account !== stack.account;
    if (otherAccount) {
      // Another account's principal: its own account must allow it too, but the key policy has to say so here.
      key.addToResourcePolicy(new iam.PolicyStatement({ principals: [principal], actions: needed, resources: ['*'], conditions }));
    }
    return iam.Grant.addToPrincipal({ grantee, actions: needed, resourceArns: [key.keyArn], conditions });
  };
  const grants: Record<string, (grantee: iam.IGrantable, ...actions: string[]) => iam.Grant> = {
    grant: (grantee, ...actions) => through(grantee, actions),
    grantDecrypt: (grantee) => through(grantee, ['kms:Decrypt']),
    grantEncrypt: (grantee) => through(grantee, ['kms:GenerateDataKey']),
    grantEncryptDecrypt: (grantee) => through(grantee, ['kms:Decrypt', 'kms:GenerateDataKey']),
  };
  return new Proxy(key, {
    get(target, prop) {
      if (typeof prop === 'string' && Object.prototype.hasOwnProperty.call(grants, prop)) {
        return grants[prop];
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' && prop !== 'constructor' ? value.bind(target) : value;
    },
  });
}

/**
 * The services that send `aws:SourceAccount` and `aws:SourceArn` to a queue's
 * or topic's key when they deliver (see {@link UNSENT_SOURCE_CONDITIONS} for
 * the one path that does not, which aws-cdk-lib never writes by itself).
 */
const SOURCE_SCOPED_SERVICES = Object.freeze(['s3', 'sns', 'events', 'cloudwatch']);

/**
 * A statement for the stack key that lets one AWS service in without a
 * source condition, as aws-cdk-lib writes some by itself (`SqsDestination`
 * lets S3 use a queue's key with no condition; an EventBridge target's
 * `grantSendMessages` lets EventBridge in with `aws:SourceAccount` at most),
 * held to the service's resources of this account and region. Every such
 * service statement names only what a delivery needs (`kms:GenerateDataKey`,
 * `kms:Decrypt`) instead of aws-cdk-lib's wildcards and encryption actions. On a key every
 * secure construct of the stack shares, an unscoped service statement would
 * let the service use the key for anyone's resources. An EventBridge
 * statement with no condition at all also gets the topic path (see
 * {@link UNSENT_SOURCE_CONDITIONS}).
 */
function scopedServiceStatements(key: kms.IKey, statement: iam.PolicyStatement): iam.PolicyStatement[] {
  const json = statement.toStatementJson();
  const services = serviceNames(Stack.of(key), json.Principal);
  const conditions: ConditionBlock = json.Condition ?? {};
  const service = services.length === 1 ? services[0].split('.')[0] : undefined;
  const ownKeys = Object.values(conditions).flatMap((entries) => Object.keys(entries ?? {}).map((k) => k.toLowerCase()));
  if (statement.effect !== iam.Effect.ALLOW || service === undefined || !SOURCE_SCOPED_SERVICES.includes(service) || statement.notActions.length > 0
    || statement.notResources.length > 0 || Object.keys(json.Principal ?? {}).length !== 1) {
    return [statement];
  }
  const scoped = ownKeys.some((k) => k === 'aws:sourcearn' || k.startsWith('kms:encryptioncontext'));
  const exact = [...new Set(statement.actions.flatMap((a) => EXACT_ACTIONS[a] ? [...EXACT_ACTIONS[a]] : [a]))];
  // A delivery grant (aws-cdk-lib's grantEncryptDecrypt to a service: Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*) needs only
  // kms:GenerateDataKey and kms:Decrypt. Any other statement keeps its actions (an event bus needs kms:DescribeKey, an archive
  // kms:ReEncrypt*), only spelled out.
  const delivery = exact.length > 0 && exact.every((a) => ENCRYPT_DECRYPT_ACTIONS.includes(a)) && exact.includes('kms:GenerateDataKey')
    ? DESTINATION_KEY_ACTIONS.filter((a) => exact.includes(a)) : exact;
  const copy = (withConditions: ConditionBlock, withActions: string[], sid: string | undefined = statement.sid) => new iam.PolicyStatement({
    sid, principals: statement.principals, actions: withActions, resources: statement.resources, conditions: withConditions,
  });
  if (scoped) {
    return exact.length === statement.actions.length && exact.every((a) => statement.actions.includes(a)) ? [statement] : [copy(conditions, exact)];
  }
  if (exact.every((a) => a === 'kms:DescribeKey')) {
    return [statement]; // key metadata, nothing encrypted or decrypted
  }
  const queuePath = copy(mergeBlocks(conditions, scopeServiceUse(key, service, conditions, KeyDestination.QUEUE)), delivery);
  // EventBridge sends no source keys when it writes to a topic: a statement without any is for either path, so both are
  // kept (the second without the Sid: a policy's Sids are unique).
  return service === 'events' && ownKeys.length === 0
    ? [queuePath, copy(scopeServiceUse(key, service, {}, KeyDestination.TOPIC), delivery, undefined)]
    : [queuePath];
}

/** What aws-cdk-lib's `grantEncryptDecrypt` gives, spelled out. */
const ENCRYPT_DECRYPT_ACTIONS: readonly string[] = Object.freeze([
  'kms:Decrypt', 'kms:Encrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', ...EXACT_ACTIONS['kms:GenerateDataKey*'],
]);

/** `extra` merged into `base` operator by operator (the keys of `extra` win). */
function mergeBlocks(base: ConditionBlock, extra: ConditionBlock): ConditionBlock {
  const merged: ConditionBlock = { ...base };
  for (const [operator, entries] of Object.entries(extra)) {
    merged[operator] = { ...merged[operator], ...entries };
  }
  return merged;
}

/**
 * Lets `grantee` use `key` for `actions` only through `service` (e.g. `sqs`)
 * and only from this account. An AWS service principal has no identity
 * policy: it is let in by the key policy instead, for its resources of this
 * account and region (see {@link allowServiceToUseKey}).
 *
 * @internal
 */
export function grantKeyUseViaService(key: kms.IKey, grantee: iam.IGrantable, service: string, actions: string[]): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com`,
        'kms:CallerAccount': Stack.of(key).account,
      },
    },
  });
  if (!grant.success) {
    const fragment = grantee.grantPrincipal.policyFragment;
    const services = serviceNames(Stack.of(key), fragment.principalJson);
    if (services.length > 0 && Object.keys(fragment.principalJson).length === 1) {
      const conditions = fragment.conditions as ConditionBlock;
      const destination = service === 'sns' ? KeyDestination.TOPIC : KeyDestination.QUEUE;
      services.forEach((s) => allowServiceToUseKey(key, s, { conditions, actions, destination }));
      return grant;
    }
    Annotations.of(key).addWarningV2(
      '@cdk-aegis/key-grant',
      `${actions.join(', ')} through ${service} could not be granted to a principal without an identity policy of this app ` +
        `(e.g. another account); allow it in the policy of key ${key.node.path} yourself.`,
    );
  }
  return grant;
}

/** Options of {@link allowServiceToUseKey}. @internal */
export interface ServiceKeyUseOptions {
  /**
   * The conditions of the statement that admits the service to the resource
   * (a queue or topic policy statement): its `aws:SourceArn` and
   * `aws:SourceAccount` conditions are copied when they name no resource of
   * an app (see {@link allowServiceToUseKey}).
   *
   * @default - the service's resources of this account and region
   */
  readonly conditions?: ConditionBlock;

  /**
   * The key actions.
   *
   * @default ['kms:GenerateDataKey', 'kms:Decrypt']
   */
  readonly actions?: string[];

  /**
   * What the key encrypts for the service: the conditions a service sends to
   * KMS depend on the delivery path (see {@link scopeServiceUse}).
   *
   * @default KeyDestination.QUEUE
   */
  readonly destination?: KeyDestination;
}

/** What a service writes with the key: an SQS queue or an SNS topic. @internal */
export enum KeyDestination {
  QUEUE = 'queue',
  TOPIC = 'topic',
}

/** An IAM `Condition` block: operator → condition key → value(s). */
type ConditionBlock = Record<string, Record<string, unknown>>;

/** What an AWS service needs of a destination's key to write encrypted messages (and read them back, e.g. SNS → SQS). */
const DESTINATION_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * Lets the AWS service `servicePrincipal` (e.g. `sns.amazonaws.com`) use
 * `key` (`kms:GenerateDataKey`, `kms:Decrypt`) on behalf of its resources of
 * this account and region only (`aws:SourceAccount`, `aws:SourceArn`), e.g.
 * SNS writing to a KMS-encrypted dead-letter queue.
 *
 * When `options.conditions` carries an `aws:SourceArn` that names no resource
 * of the app (a literal ARN, or one built from pseudo parameters), it is
 * copied as is. A reference to a resource (the rule, topic or bucket that
 * sends) is not: that resource depends on the queue or topic, which depends on
 * the key, so a key policy naming it is a dependency cycle. The condition is
 * then the narrowest one without a reference: an `ArnLike` pattern of the
 * service's resources in this account and region (`rule/*` for EventBridge;
 * S3 bucket ARNs name no account or region, so any bucket, held by
 * `aws:SourceAccount`). An imported key's policy cannot be changed: a warning
 * says what it must allow.
 *
 * @internal
 */
export function allowServiceToUseKey(key: kms.IKey, servicePrincipal: string, options: ServiceKeyUseOptions = {}): void {
  const service = servicePrincipal.split('.')[0];
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(servicePrincipal)],
    actions: options.actions ?? DESTINATION_KEY_ACTIONS,
    resources: ['*'],
    conditions: scopeServiceUse(key, service, options.conditions ?? {}, options.destination ?? KeyDestination.QUEUE),
  });
  if (!key.addToResourcePolicy(statement, true).statementAdded) {
    Annotations.of(key).addWarningV2(
      `@cdk-aegis/key-policy:${service}`,
      `the policy of imported key ${key.node.path} must let ${servicePrincipal} use ${statement.actions.join(' and ')} for this account; ` +
        'cdk-aegis cannot add it, and what the service sends to resources encrypted with this key is lost.',
    );
  }
}

/**
 * Lets each AWS service that `statement` (a statement of the policy of a
 * queue or topic encrypted with `key`) allows in use the key for it, e.g.
 * EventBridge sending failed events to a dead-letter queue: without it the
 * service's messages are dropped. Statements for accounts or roles, and
 * Deny statements, change nothing.
 *
 * @internal
 */
export function allowAdmittedServicesToUseKey(key: kms.IKey | undefined, statement: iam.PolicyStatement, destination: KeyDestination): void {
  if (key === undefined || statement.effect !== iam.Effect.ALLOW) {
    return;
  }
  const json = statement.toStatementJson();
  for (const service of serviceNames(Stack.of(key), json.Principal)) {
    allowServiceToUseKey(key, service, { conditions: json.Condition, destination });
  }
}

/**
 * Key-policy condition keys that a service does not send to KMS on a
 * delivery path: a statement scoped with them denies every delivery, silently.
 *
 * - EventBridge → encrypted SNS topic: "Adding the aws:SourceAccount,
 *   aws:SourceArn, and aws:SourceOrgID to a AWS KMS policy is not supported for
 *   EventBridge-to-encrypted topics"
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
 *   The statement is held instead by the encryption context SNS itself puts on
 *   every data key of a topic, `aws:sns:topicArn`, to this account's and
 *   region's topics: AWS documents that condition key for a service publishing
 *   to an encrypted topic (`"kms:EncryptionContext:aws:sns:topicArn"`,
 *   https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html).
 *   Without it the shared stack key would let EventBridge in for any use.
 *
 * Every other path cdk-aegis wires keeps `aws:SourceAccount` and `aws:SourceArn`, as documented for it:
 * - SNS, S3 and EventBridge ("CloudWatch Events") → encrypted SQS queue: "the following services
 *   support aws:SourceArn: Amazon SNS, Amazon S3, CloudWatch Events, ..."
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html);
 * - CloudWatch alarms and S3 → encrypted SNS topic: "Add the aws:SourceAccount and aws:SourceArn condition
 *   keys to the KMS resource policy" (the SNS page above);
 * - CloudWatch Logs → log groups: `kms:EncryptionContext:aws:logs:arn`
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), see the stack key.
 *
 * @internal
 */
export const UNSENT_SOURCE_CONDITIONS: ReadonlyArray<{ readonly service: string; readonly destination: KeyDestination }> = Object.freeze([
  { service: 'events', destination: KeyDestination.TOPIC },
]);

/** The source condition keys of `UNSENT_SOURCE_CONDITIONS`, lower case (IAM condition keys are case-insensitive). @internal */
export const SOURCE_CONDITION_KEYS: readonly string[] = Object.freeze(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceorgid']);

/**
 * Whether `servicePrincipal` (e.g. `events.amazonaws.com`) sends `aws:SourceArn`
 * and `aws:SourceAccount` to KMS when it writes to `destination`.
 *
 * @internal
 */
export function sendsSourceConditions(servicePrincipal: string, destination: KeyDestination): boolean {
  const service = servicePrincipal.split('.')[0];
  return !UNSENT_SOURCE_CONDITIONS.some((u) => u.service === service && u.destination === destination);
}

/**
 * The `aws:SourceAccount` and `aws:SourceArn` conditions that hold `service`
 * to the resources `conditions` name, without naming a resource of the app.
 */
function scopeServiceUse(key: kms.IKey, service: string, conditions: ConditionBlock, destination: KeyDestination): ConditionBlock {
  const stack = Stack.of(key);
  if (!sendsSourceConditions(service, destination)) {
    // No source keys on this path: held to this account's and region's topics by SNS's encryption context.
    return { ArnLike: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:${stack.partition}:sns:${stack.region}:${stack.account}:*` } };
  }
  const sourceArn = conditionOn(conditions, 'aws:SourceArn');
  const sourceAccount = conditionOn(conditions, 'aws:SourceAccount');
  const account = sourceAccount !== undefined && !namesResource(stack, sourceAccount.value) ? sourceAccount : { operator: 'StringEquals', value: stack.account };
  const scoped: ConditionBlock = { [account.operator]: { 'aws:SourceAccount': account.value } };
  if (sourceArn !== undefined && !namesResource(stack, sourceArn.value)) {
    // A literal source (e.g. another region's topic): exact, and it names its own account.
    return sourceAccount === undefined ? { [sourceArn.operator]: { 'aws:SourceArn': sourceArn.value } } : merge(scoped, sourceArn.operator, 'aws:SourceArn', sourceArn.value);
  }
  const accountId = typeof account.value === 'string' ? account.value : stack.account;
  return merge(scoped, 'ArnLike', 'aws:SourceArn', sourceArnPattern(stack, service, accountId));
}

/** The ARNs of `service`'s resources in `account` and this stack's region. */
function sourceArnPattern(stack: Stack, service: string, account: string): string {
  if (service === 's3') {
    return `arn:${stack.partition}:s3:::*`;
  }
  const resource = service === 'events' ? 'rule/*' : '*';
  return `arn:${stack.partition}:${service}:${stack.region}:${account}:${resource}`;
}

/**
 * A statement for `key` without conditions that name a resource of the app:
 * an `aws:SourceArn` condition of a service statement that references one
 * (e.g. `{ Ref: Topic }`) becomes the pattern of that service's resources.
 */
function withoutResourceReferences(key: kms.IKey, statement: iam.PolicyStatement): iam.PolicyStatement {
  const json = statement.toStatementJson();
  const services = serviceNames(Stack.of(key), json.Principal);
  const sourceArn = conditionOn(json.Condition ?? {}, 'aws:SourceArn');
  if (statement.effect !== iam.Effect.ALLOW || services.length !== 1 || sourceArn === undefined || !namesResource(Stack.of(key), sourceArn.value)) {
    return statement;
  }
  const conditions: ConditionBlock = {};
  for (const [operator, entries] of Object.entries(json.Condition as ConditionBlock)) {
    const rest = Object.fromEntries(Object.entries(entries).filter(([k]) => k !== 'aws:SourceArn' && k !== 'aws:SourceAccount'));
    if (Object.keys(rest).length > 0) {
      conditions[operator] = rest;
    }
  }
  // The statements aws-cdk-lib adds to a key by itself with a resource's ARN are for queues (SqsSubscription's SNS
  // statement, an event target's dead-letter queue); a topic's EventBridge statement comes from SecureTopic, on the topic path.
  return new iam.PolicyStatement({
    sid: statement.sid,
    principals: statement.principals,
    actions: statement.actions,
    notActions: statement.notActions,
    resources: statement.resources,
    notResources: statement.notResources,
    conditions: mergeBlocks(conditions, scopeServiceUse(key, services[0].split('.')[0], json.Condition, KeyDestination.QUEUE)),
  });
}

/** The service principals (`events.amazonaws.com`) a policy's `Principal` names (aws-cdk-lib renders them lazily). */
function serviceNames(stack: Stack, principal: unknown): string[] {
  const service = stack.resolve((principal as { Service?: unknown } | undefined)?.Service);
  const list = Array.isArray(service) ? service : service === undefined ? [] : [service];
  return list.filter((s): s is string => typeof s === 'string');
}

/** The first condition on `conditionKey` in `conditions`, with its operator. */
function conditionOn(conditions: ConditionBlock, conditionKey: string): { operator: string; value: unknown } | undefined {
  for (const [operator, entries] of Object.entries(conditions)) {
    if (entries && typeof entries === 'object' && conditionKey in entries) {
      return { operator, value: entries[conditionKey] };
    }
  }
  return undefined;
}

function merge(conditions: ConditionBlock, operator: string, conditionKey: string, value: unknown): ConditionBlock {
  return { ...conditions, [operator]: { ...conditions[operator], [conditionKey]: value } };
}

/**
 * Whether `value`, rendered in `stack`, refers to a resource or another
 * stack's output (pseudo parameters such as `AWS::AccountId` do not count).
 */
function namesResource(stack: Stack, value: unknown): boolean {
  let rendered: unknown;
  try {
    rendered = stack.resolve(value);
  } catch {
    return true;
  }
  const visit = (v: unknown): boolean => {
    if (Array.isArray(v)) {
      return v.some(visit);
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) || 'Fn::GetAtt' in o || 'Fn::ImportValue' in o) {
        return true;
      }
      return Object.values(o).some(visit);
    }
    return false;
  };
  return visit(rendered);
}
