import { Duration, Names, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue, DEAD_LETTER_RETENTION, SECURED_QUEUE_PROPS } from '../core/dead-letter-queue';
import { allowAdmittedServicesToUseKey, grantKeyUseViaService, KeyDestination, StackKey } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps } from '../core/private/construction';
import { requireDuration, requireInterface, requireOptionalBoolean, requireOptionalNumber, requireProps } from '../core/private/input-checks';
import { AlarmConfig, AlarmSetting, checkAlarmSettings, ConstructAlarm } from '../monitoring/alarm-setting';
import { applyAlarms, describeWindow, Monitoring } from '../monitoring/monitoring';

/** Visibility timeout unless told otherwise: 6 × the default `SecureFunction` timeout (10 s), as AWS advises for Lambda consumers. */
export const DEFAULT_VISIBILITY_TIMEOUT = Duration.minutes(1);
/** How long messages stay unless told otherwise (the SQS default); shorter than the dead-letter queue's 14 days. */
export const DEFAULT_QUEUE_RETENTION = Duration.days(4);
/** Receives before a message moves to the dead-letter queue, unless told otherwise. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
/** AWS's advice: the visibility timeout of a queue a Lambda function consumes is at least 6 × the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

const SEND_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];

/** Props of {@link SecureQueue}. */
export interface SecureQueueProps {
  /**
   * A FIFO queue (its dead-letter queue is FIFO too).
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * Deduplicate FIFO messages by a hash of their body.
   *
   * @default false
   */
  readonly contentBasedDeduplication?: boolean;

  /**
   * How long a received message stays hidden from other consumers; at least
   * 6 × the timeout of every Lambda consumer (checked by `addConsumer`).
   *
   * @default Duration.minutes(1)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long messages stay in the queue; shorter than the dead-letter queue's
   * 14 days, so a message moved there is not already expired.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Receives before a message moves to the dead-letter queue (1 to 1000).
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Alarm on messages in the dead-letter queue; threshold: visible messages
   * (Maximum of `ApproximateNumberOfMessagesVisible`). Turning it off needs
   * a reason.
   *
   * @default - on: more than 0 messages in a 1-minute period
   */
  readonly deadLetterAlarm?: AlarmSetting;

  /**
   * Alarm on a stuck consumer; threshold: age of the oldest message in
   * seconds (Maximum of `ApproximateAgeOfOldestMessage`), under
   * `retentionPeriod`. Turning it off needs a reason.
   *
   * @default - on: older than 3600 seconds (1 hour) in a 5-minute period
   */
  readonly messageAgeAlarm?: AlarmSetting;

  /**
   * Key for the queue and its dead-letter queue.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Options of {@link SecureQueue.addConsumer}. */
export interface SecureQueueConsumerOptions {
  /**
   * Messages per invocation (1 to 10 for FIFO queues, 1 to 10000 otherwise).
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long to gather messages before invoking (needed for `batchSize` above 10).
   *
   * @default - none
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Most concurrent invocations the queue may cause (2 to 1000).
   *
   * @default - no limit beyond the function's
   */
  readonly maxConcurrency?: number;
}

/**
 * An SQS queue encrypted with a customer-managed key, TLS-only, with an
 * encrypted dead-letter queue that keeps failed messages longer than the queue
 * does. It is an `sqs.Queue`: grants and metrics work as usual (with exact KMS
 * actions, restricted to SQS).
 *
 * @example
 * const jobs = new SecureQueue(this, 'Jobs');
 * jobs.addConsumer(worker);          // partial-batch failures, visibility timeout checked
 * jobs.grantSendMessages(producer);
 */
export class SecureQueue extends sqs.Queue {
  /** Visibility timeout unless told otherwise: 6 × the default `SecureFunction` timeout (10 s), as AWS advises for Lambda consumers. */
  public static readonly DEFAULT_VISIBILITY_TIMEOUT: Duration = DEFAULT_VISIBILITY_TIMEOUT;

  /** How long messages stay unless told otherwise (the SQS default); shorter than the dead-letter queue's 14 days. */
  public static readonly DEFAULT_RETENTION: Duration = DEFAULT_QUEUE_RETENTION;

  /** Receives before a message moves to the dead-letter queue, unless told otherwise. */
  public static readonly DEFAULT_MAX_RECEIVE_COUNT: number = DEFAULT_MAX_RECEIVE_COUNT;

  /** AWS's advice: the visibility timeout of a queue a Lambda function consumes is at least 6 × the function's timeout. */
  public static readonly VISIBILITY_TIMEOUT_FACTOR: number = VISIBILITY_TIMEOUT_FACTOR;

  /** How long failed messages and events stay in a dead-letter queue (the SQS maximum). */
  public static readonly DEAD_LETTER_RETENTION: Duration = DEAD_LETTER_RETENTION;

  /** Where messages go after `maxReceiveCount` failed receives. */
  public readonly deadLetters: sqs.Queue;
  /** The alarm on messages in the dead-letter queue, unless turned off. */
  public readonly deadLetterAlarm?: cloudwatch.IAlarm;
  /** The alarm on the age of the oldest message, unless turned off. */
  public readonly messageAgeAlarm?: cloudwatch.IAlarm;

  private readonly visibility: Duration;

  constructor(scope: Construct, id: string, props: SecureQueueProps = {}) {
    const alarms = checkProps(scope, id, props);
    const key = props.encryptionKey ?? StackKey.of(scope);
    const visibility = props.visibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT;
    const baseProps: sqs.QueueProps = {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      fifo: props.fifo,
      contentBasedDeduplication: props.contentBasedDeduplication,
      visibilityTimeout: visibility,
      retentionPeriod: props.retentionPeriod ?? DEFAULT_QUEUE_RETENTION,
    };
    super(scope, id, guardedProps(scope, id, 'SecureQueue', { name: 'sqs.Queue', injectionId: sqs.Queue.PROPERTY_INJECTION_ID }, baseProps, SECURED_QUEUE_PROPS));

    // The dead-letter queue is a child of this queue, so it is created now and wired into the redrive policy.
    // It allows every queue of this account and region to redrive into it: naming this queue (byQueue) would make the two
    // queues reference each other, a cycle CloudFormation rejects, and a generated queue name cannot be known in advance.
    this.deadLetters = createDeadLetterQueue(this, 'DeadLetterQueue', { encryptionKey: key, owner: 'an SQS queue', fifo: props.fifo, allowAnySourceQueue: true });
    const deadLetterQueue = { queue: this.deadLetters, maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT };
    (this.node.defaultChild as sqs.CfnQueue).redrivePolicy = {
      deadLetterTargetArn: deadLetterQueue.queue.queueArn,
      maxReceiveCount: deadLetterQueue.maxReceiveCount,
    };
    (this as { deadLetterQueue?: sqs.DeadLetterQueue }).deadLetterQueue = deadLetterQueue;
    this.visibility = visibility;

    const minute = Duration.minutes(1);
    const created = applyAlarms(this, this, props, QUEUE_ALARMS, alarms);
    this.deadLetterAlarm = created.deadLetterAlarm;
    this.messageAgeAlarm = created.messageAgeAlarm;
    Monitoring.of(this)._addWidgets(() => [
      new cloudwatch.GraphWidget({
        title: `${this.node.path}: messages`,
        width: 12,
        left: [
          this.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute }),
          this.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute, label: 'dead-letter queue' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: `${this.node.path}: age of oldest message (s)`,
        width: 12,
        left: [this.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: minute })],
      }),
    ]);
  }

  /**
   * Lets `fn` process the queue's messages: an event source mapping that
   * reports partial-batch failures (only failed messages are retried, then
   * moved to the dead-letter queue). Fails when the queue's visibility
   * timeout is under 6 × the function's timeout.
   */
  public addConsumer(fn: lambda.IFunction, options: SecureQueueConsumerOptions = {}): lambda.EventSourceMapping {
    const problems = new ProblemCollector(this);
    const timeout = fn instanceof lambda.Function ? fn.timeout ?? Duration.seconds(3) : undefined;
    if (timeout !== undefined && !Token.isUnresolved(timeout.toSeconds()) && !Token.isUnresolved(this.visibility.toSeconds())) {
      const needed = timeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR;
      problems.require(
        this.visibility.toSeconds() >= needed,
        `\`visibilityTimeout\` (${this.visibility.toSeconds()} s) must be at least ${VISIBILITY_TIMEOUT_FACTOR} × the timeout of consumer ${fn.node.path} ` +
          `(${timeout.toSeconds()} s), i.e. ${needed} s; otherwise messages become visible again while still being processed. ` +
          `Pass \`visibilityTimeout: Duration.seconds(${needed})\` or shorten the function's timeout.`,
      );
    }
    const batchSize = options.batchSize;
    if (batchSize !== undefined && !Token.isUnresolved(batchSize)) {
      const max = this.fifo ? 10 : 10000;
      problems.require(
        Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= max,
        `\`batchSize\` must be a whole number from 1 to ${max} for this queue, got: ${received(batchSize)}.`,
      );
      problems.require(
        batchSize <= 10 || (options.maxBatchingWindow !== undefined && options.maxBatchingWindow.toSeconds() > 0),
        `\`batchSize\` above 10 (got ${batchSize}) needs a \`maxBatchingWindow\` of at least 1 second.`,
      );
    }
    problems.require(
      !(this.fifo && options.maxBatchingWindow !== undefined),
      '`maxBatchingWindow` is not supported for FIFO queues; drop it.',
    );
    const mappingId = `SqsEventSource:${Names.nodeUniqueId(this.node)}`;
    problems.require(fn.node.tryFindChild(mappingId) === undefined, `${fn.node.path} already consumes this queue; add it once.`);
    problems.throwIfAny();

    const mapping = fn.addEventSourceMapping(mappingId, {
      eventSourceArn: this.queueArn,
      batchSize: options.batchSize,
      maxBatchingWindow: options.maxBatchingWindow,
      maxConcurrency: options.maxConcurrency,
      reportBatchItemFailures: true,
    });
    this.grantConsumeMessages(fn);
    acknowledge(
      mapping,
      AcknowledgementCause.RULE_DEFECT,
      RULES.eventSourceMappingDestination,
      'SQS event source mappings accept no on-failure destination; failed messages go to the queue\'s dead-letter queue after maxReceiveCount receives',
    );
    return mapping;
  }

  /**
   * Adds `statement` to the queue's policy. When it lets an AWS service in
   * (e.g. EventBridge sending failed events, SNS delivering, S3 notifying;
   * every L2 target and subscription comes through here), the key policy
   * lets that service use the queue's key too (`kms:GenerateDataKey`,
   * `kms:Decrypt`, for its resources of this account and region): without
   * it the service's messages are dropped.
   */
  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    const result = super.addToResourcePolicy(statement);
    if (result.statementAdded) {
      allowAdmittedServicesToUseKey(this.encryptionMasterKey, statement, KeyDestination.QUEUE);
    }
    return result;
  }

  /**
   * Grants consuming messages: receive, delete, change visibility and read
   * attributes of this queue, and `kms:Decrypt` on its key through SQS only.
   */
  public grantConsumeMessages(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...CONSUME_ACTIONS);
    grantKeyUseViaService(this.encryptionMasterKey!, grantee, 'sqs', ['kms:Decrypt']);
    return grant;
  }

  /**
   * Grants sending messages: `sqs:SendMessage`, `sqs:GetQueueAttributes`,
   * `sqs:GetQueueUrl` on this queue, and `kms:GenerateDataKey` / `kms:Decrypt`
   * on its key through SQS only.
   */
  public grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grant(grantee, ...SEND_ACTIONS);
    grantKeyUseViaService(this.encryptionMasterKey!, grantee, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    return grant;
  }
}

/** The alarms of {@link SecureQueue} and their defaults. @internal */
export const QUEUE_ALARMS: Record<'deadLetterAlarm' | 'messageAgeAlarm', ConstructAlarm<SecureQueue>> = {
  deadLetterAlarm: {
    id: 'DeadLetterAlarm',
    metric: (queue) => queue.deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' }),
    describe: (c) => `more than ${c.threshold} messages in the dead-letter queue in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 0,
    minThreshold: 0,
    thresholdUnit: 'visible messages',
    period: Duration.minutes(1),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
  messageAgeAlarm: {
    id: 'MessageAgeAlarm',
    metric: (queue) => queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum' }),
    describe: (c) => `oldest message older than ${c.threshold} seconds in ${describeWindow(c)}`,
    onByDefault: true,
    threshold: 3600,
    minThreshold: 60,
    thresholdUnit: 'age of the oldest message, seconds',
    period: Duration.minutes(5),
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
  },
};

function checkProps(scope: Construct, id: string, props: SecureQueueProps): { [P in keyof typeof QUEUE_ALARMS]?: AlarmConfig } {
  const problems = new ProblemCollector(scope, id);
  checkInputTypes(problems, props);
  // Wrong types stop here: the checks below read these props.
  problems.throwIfAny();
  const alarms = checkAlarmSettings(problems, props, QUEUE_ALARMS);
  const retentionSeconds = (props.retentionPeriod ?? DEFAULT_QUEUE_RETENTION).toSeconds();
  const age = alarms.messageAgeAlarm?.threshold;
  if (age !== undefined && !Token.isUnresolved(retentionSeconds)) {
    problems.require(
      age < retentionSeconds,
      `\`messageAgeAlarm\` threshold (${age} seconds) must be under \`retentionPeriod\` (${retentionSeconds} seconds): ` +
        'messages are deleted at that age, so the alarm could never fire.',
    );
  }
  const retention = props.retentionPeriod;
  if (retention !== undefined && !Token.isUnresolved(retention.toSeconds())) {
    problems.require(
      retention.toSeconds() >= 60 && retention.toSeconds() < DEAD_LETTER_RETENTION.toSeconds(),
      `\`retentionPeriod\` must be at least 60 seconds and shorter than the dead-letter queue's ${DEAD_LETTER_RETENTION.toDays()} days ` +
        `(a moved message keeps its age and would expire there first), got: ${retention.toSeconds()} seconds.`,
    );
  }
  const visibility = props.visibilityTimeout;
  if (visibility !== undefined && !Token.isUnresolved(visibility.toSeconds())) {
    problems.require(
      visibility.toSeconds() <= 43200,
      `\`visibilityTimeout\` must be between 0 and 43200 seconds (12 hours), got: ${visibility.toSeconds()}.`,
    );
  }
  const count = props.maxReceiveCount;
  if (count !== undefined && !Token.isUnresolved(count)) {
    problems.require(
      Number.isInteger(count) && count >= 1 && count <= 1000,
      `\`maxReceiveCount\` must be a whole number from 1 to 1000, got: ${received(count)}.`,
    );
  }
  problems.require(
    !(props.contentBasedDeduplication && !props.fifo),
    '`contentBasedDeduplication` applies to FIFO queues only; set `fifo: true` or drop it.',
  );
  problems.throwIfAny();
  return alarms;
}

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong. */
function checkInputTypes(problems: ProblemCollector, props: SecureQueueProps): void {
  if (!requireProps(problems, props, undefined)) {
    return;
  }
  const p = props as unknown as Record<keyof SecureQueueProps, unknown>;
  requireOptionalBoolean(problems, 'fifo', p.fifo);
  requireOptionalBoolean(problems, 'contentBasedDeduplication', p.contentBasedDeduplication);
  requireDuration(problems, 'visibilityTimeout', p.visibilityTimeout, 'Duration.minutes(1)');
  requireDuration(problems, 'retentionPeriod', p.retentionPeriod, 'Duration.days(4)');
  requireOptionalNumber(problems, 'maxReceiveCount', p.maxReceiveCount, '5');
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
}
