import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { allowServiceToUseKey } from './encryption';
import { ProblemCollector } from './errors';
import { acknowledge, AcknowledgementCause } from './justification';
import { RULES } from './nag-rule-ids';
import { guardedProps, SecuredProp } from './private/construction';
import { DeadLetterWatch } from './private/dead-letter-watch';

/** How long failed messages and events stay in a dead-letter queue (the SQS maximum). */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The props a cdk-aegis queue (a SecureQueue or a dead-letter queue) secures on
 * sqs.Queue, and what to do instead of injecting them.
 *
 * @internal
 */
export const SECURED_QUEUE_PROPS: { [prop: string]: SecuredProp } = {
  encryption: { instead: 'cdk-aegis queues are encrypted with a customer-managed KMS key' },
  encryptionMasterKey: { instead: 'choose the key with the construct\'s `encryptionKey`' },
  enforceSSL: { instead: 'cdk-aegis queues accept TLS requests only' },
  deadLetterQueue: { instead: 'a SecureQueue has its own encrypted dead-letter queue (set `maxReceiveCount`); a dead-letter queue has none' },
  redriveAllowPolicy: { instead: 'cdk-aegis decides which queues may redrive into a dead-letter queue' },
};

const DEAD_LETTER_QUEUE_BASE = { name: 'sqs.Queue', injectionId: sqs.Queue.PROPERTY_INJECTION_ID };

/** Options of {@link createDeadLetterQueue}. @internal */
export interface DeadLetterQueueOptions {
  readonly encryptionKey: kms.IKey;
  /** What the queue collects failures of, for the acknowledgement, e.g. `a Lambda function`. */
  readonly owner: string;
  readonly fifo?: boolean;
  /**
   * The owner is neither an SQS queue nor a Lambda function (e.g. an SNS
   * subscription), which AwsSolutions-SQS3 does not recognize as using a
   * dead-letter queue.
   */
  readonly ownerUnknownToSqs3?: boolean;
  /**
   * SQS queues that may name this queue as their dead-letter queue (`byQueue`,
   * 1 to 10). Do not pass the `sqs.Queue` whose own redrive policy points here:
   * its `queueArn` is a `Fn::GetAtt`, and the two queues would reference each
   * other (a dependency cycle CloudFormation rejects). Name such a queue by an
   * ARN built from a physical name it sets (`sqs.Queue.fromQueueArn(scope, id,
   * Stack.of(scope).formatArn({ service: 'sqs', resource: name }))`), or use
   * `allowAnySourceQueue`.
   *
   * @default - none: a terminal dead-letter queue, which denies every SQS source (`denyAll`)
   */
  readonly sourceQueues?: sqs.IQueue[];
  /**
   * Lets any queue of this account and region name this queue as its dead-letter
   * queue (`allowAll`). The narrowest setting that works for the dead-letter
   * queue of a queue without a physical name: `byQueue` would need that queue's
   * ARN, which is known only once the queue exists, after this one (see `sourceQueues`).
   *
   * @default false
   */
  readonly allowAnySourceQueue?: boolean;
}

/** Most source queues a redrive-allow policy may name (an SQS limit). */
const MAX_SOURCE_QUEUES = 10;

/**
 * A terminal dead-letter queue: KMS-encrypted, TLS-only, 14-day retention,
 * and a redrive-allow policy that denies every SQS source (or names exactly
 * `sourceQueues`, or allows the account's queues with `allowAnySourceQueue`).
 * Serverless-SQSRedrivePolicy, which wants a redrive policy on every queue,
 * is acknowledged on it as a rule defect.
 *
 * @internal
 */
export function createDeadLetterQueue(scope: Construct, id: string, options: DeadLetterQueueOptions): sqs.Queue {
  const sources = options.sourceQueues;
  const problems = new ProblemCollector(scope, id);
  problems.require(
    sources === undefined || !options.allowAnySourceQueue,
    'a dead-letter queue takes `sourceQueues` or `allowAnySourceQueue`, not both.',
  );
  problems.require(
    sources === undefined || (sources.length >= 1 && sources.length <= MAX_SOURCE_QUEUES),
    `\`sourceQueues\` must name 1 to ${MAX_SOURCE_QUEUES} queues, got: ${sources?.length}.`,
  );
  problems.throwIfAny();
  const queue = new sqs.Queue(scope, id, guardedProps(scope, id, `dead-letter queue (of ${options.owner})`, DEAD_LETTER_QUEUE_BASE, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: options.encryptionKey,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
    fifo: options.fifo,
    // A dead-letter queue says which queues may redrive into it: none, unless told.
    redriveAllowPolicy: sources !== undefined
      ? { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: sources }
      : { redrivePermission: options.allowAnySourceQueue ? sqs.RedrivePermission.ALLOW_ALL : sqs.RedrivePermission.DENY_ALL },
  }, SECURED_QUEUE_PROPS));
  if (sources !== undefined) {
    queue.node.addValidation({ validate: () => sourcesRedrivingByReference(queue, sources) });
  }
  acknowledge(
    queue,
    AcknowledgementCause.RULE_DEFECT,
    RULES.terminalDeadLetterQueue,
    `this queue is the terminal dead-letter queue of ${options.owner}; the rule wants a redrive policy on every queue, ` +
      'dead-letter queues included, and a redrive from it would only move failed events again',
  );
  if (options.ownerUnknownToSqs3) {
    acknowledge(
      queue,
      AcknowledgementCause.RULE_DEFECT,
      RULES.deadLetterQueueOfOtherService,
      `this queue is the dead-letter queue of ${options.owner}; the rule recognizes dead-letter queues of SQS queues and Lambda functions only`,
    );
  }
  return queue;
}

/**
 * Source queues of this stack whose redrive policy names `queue`: each would
 * reference the other (a dependency cycle CloudFormation rejects).
 */
function sourcesRedrivingByReference(queue: sqs.Queue, sources: sqs.IQueue[]): string[] {
  const stack = Stack.of(queue);
  const target = JSON.stringify(stack.resolve(queue.queueArn));
  return sources
    .filter((source) => source instanceof sqs.Queue && Stack.of(source) === stack)
    .filter((source) => {
      const policy = stack.resolve((source.node.defaultChild as sqs.CfnQueue).redrivePolicy);
      return policy !== undefined && JSON.stringify(policy.deadLetterTargetArn) === target;
    })
    .map((source) =>
      `[cdk-aegis] \`sourceQueues\` names ${source.node.path}, whose redrive policy names this queue: the two queues would reference each other ` +
        '(a dependency cycle CloudFormation rejects). Name it by an ARN built from a physical name it sets (`Stack.formatArn`), or use `allowAnySourceQueue`.');
}

/** Options of {@link createRuleDeadLetterQueue}. @internal */
export interface RuleDeadLetterQueueOptions {
  readonly encryptionKey: kms.IKey;
  /** What the queue collects failures of, for its description and acknowledgements. */
  readonly owner: string;
  /** The conditions that name the rules that may write to it (`aws:SourceArn` of a rule, or this account's rules). */
  readonly sourceConditions: { [operator: string]: { [key: string]: unknown } };
  /**
   * What the stack's dead-letter alarm shows the queue as.
   *
   * @default - the queue itself
   */
  readonly watchedAs?: IConstruct;
}

/**
 * The encrypted dead-letter queue of EventBridge rule targets: only the rules
 * `sourceConditions` name may send to it, its key lets EventBridge encrypt for
 * rules of this account and region, and the stack's dead-letter alarm watches it.
 *
 * @internal
 */
export function createRuleDeadLetterQueue(scope: Construct, id: string, options: RuleDeadLetterQueueOptions): sqs.Queue {
  const queue = createDeadLetterQueue(scope, id, { encryptionKey: options.encryptionKey, owner: options.owner, ownerUnknownToSqs3: true });
  queue.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [queue.queueArn],
    conditions: options.sourceConditions,
  }));
  allowServiceToUseKey(options.encryptionKey, 'events.amazonaws.com');
  DeadLetterWatch.of(scope).add(queue, options.watchedAs ?? queue);
  return queue;
}
