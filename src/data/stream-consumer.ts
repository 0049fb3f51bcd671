import { Duration, Names, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from '../core/dead-letter-queue';
import { grantKeyUseViaService } from '../core/encryption';
import { ProblemCollector } from '../core/errors';
import { DeadLetterWatch } from '../core/private/dead-letter-watch';
import { requireDuration, requireEnumValue, requireInterface, requireOptionalArray, requireOptionalNumber, requireStruct } from '../core/private/input-checks';
import { AlarmSetting, checkAlarmSettings, ConstructAlarm } from '../monitoring/alarm-setting';
import { applyAlarms, describeWindow } from '../monitoring/monitoring';

/** Retries of a failed stream batch (bisected on each error) before its records go to the on-failure queue. */
export const DEFAULT_STREAM_RETRY_ATTEMPTS = 3;
/** How old a stream record may get before it goes to the on-failure queue unprocessed. */
export const DEFAULT_STREAM_MAX_RECORD_AGE = Duration.hours(6);
/** Records per batch of a stream consumer. */
export const DEFAULT_STREAM_BATCH_SIZE = 100;

/** Options of a stream consumer (`SecureTable.addStreamConsumer`, `SecureStream.addConsumer`). */
export interface StreamConsumerOptions {
  /**
   * Records per batch (1–10,000).
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * How long to gather records before invoking (0–300 s).
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Where a new consumer starts reading.
   *
   * @default lambda.StartingPosition.TRIM_HORIZON (every record the stream still holds)
   */
  readonly startingPosition?: lambda.StartingPosition;

  /**
   * Retries of a failed batch (each failure splits the batch in two, and
   * only the records after the last one reported processed are retried),
   * before its records go to the on-failure queue (0–10,000).
   *
   * @default 3
   */
  readonly retryAttempts?: number;

  /**
   * How old a record may get before it goes to the on-failure queue
   * unprocessed (1 minute to 7 days).
   *
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;

  /**
   * Filter criteria: only matching records invoke the function
   * (`lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })`).
   *
   * @default - every record
   */
  readonly filters?: Array<{ [key: string]: any }>;

  /**
   * Alarm on the consumer's lag: the age of the newest record of its last
   * batch (`AWS/Lambda` `IteratorAge`, Maximum, in seconds). A consumer that
   * falls behind loses records once they are older than `maxRecordAge` (or
   * the stream's retention); this says so before. Threshold: seconds.
   *
   * @default - on: more than 3600 seconds (an hour) in 3 of 3 five-minute periods
   */
  readonly iteratorAgeAlarm?: AlarmSetting;
}

/** The stream consumer's alarm, declared as data. @internal */
export const STREAM_CONSUMER_ALARMS: Record<'iteratorAgeAlarm', ConstructAlarm<lambda.IFunction>> = {
  iteratorAgeAlarm: {
    id: 'IteratorAgeAlarm',
    // The function's own metric: for an alias or a version it carries the Resource dimension too.
    metric: (fn) => fn.metric('IteratorAge', { statistic: 'Maximum' }),
    describe: (c) => `the consumer's newest record older than ${c.threshold} s in ${describeWindow(c)}: it is falling behind the stream`,
    onByDefault: true,
    threshold: 3600,
    minThreshold: 1,
    thresholdUnit: 'seconds',
    period: Duration.minutes(5),
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    // Lambda reports IteratorAge in milliseconds.
    toMetricThreshold: (seconds) => seconds * 1000,
  },
};

/** What a stream owner tells {@link addStreamConsumer}. @internal */
export interface StreamSource {
  /** `DynamoDB stream` or `Kinesis stream`, for ids, descriptions and errors. */
  readonly kind: string;
  readonly eventSourceArn: string;
  /** The key of the on-failure queue. */
  readonly encryptionKey: kms.IKey;
  /** Grants `fn` reading exactly this stream; returns the grants, which the mapping waits for. */
  grantRead(fn: lambda.IFunction): iam.Grant[];
}

/**
 * Lets `fn` process the records of a stream: an event source mapping that
 * bisects a failed batch, reports partial-batch failures, retries a bounded
 * number of times for a bounded record age, then sends what failed (the
 * batch's metadata) to an encrypted on-failure queue that the stack's
 * dead-letter alarm watches. `fn` may read only this stream.
 *
 * @internal
 */
export function addStreamConsumer(
  owner: Construct, fn: lambda.IFunction, source: StreamSource, options: StreamConsumerOptions,
): lambda.EventSourceMapping {
  const problems = new ProblemCollector(owner);
  requireInterface(problems, 'consumer', fn, 'addEventSourceMapping', 'a lambda.IFunction (e.g. a SecureFunction)', true);
  checkConsumerOptions(problems, options);
  const alarms = options !== null && typeof options === 'object' ? checkAlarmSettings(problems, options, STREAM_CONSUMER_ALARMS) : {};
  const id = `${source.kind.replace(/ /g, '')}Consumer${Names.nodeUniqueId(owner.node)}`;
  if (fn !== undefined && fn !== null && (fn as lambda.IFunction).node?.tryFindChild(id) !== undefined) {
    problems.add(`${fn.node.path} already consumes this ${source.kind}; add it once.`);
  }
  problems.throwIfAny();

  const failures = createDeadLetterQueue(owner, `${Names.nodeUniqueId(fn.node)}Failures`, {
    encryptionKey: source.encryptionKey,
    owner: `a ${source.kind} consumer (${fn.node.path})`,
    ownerUnknownToSqs3: true,
  });
  // Lambda writes the on-failure records with the function's role: SendMessage on this queue, its key through SQS.
  const grants = [
    ...source.grantRead(fn),
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['sqs:SendMessage'], resourceArns: [failures.queueArn] }),
    grantKeyUseViaService(source.encryptionKey, fn, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']),
  ];
  const mapping = fn.addEventSourceMapping(id, {
    eventSourceArn: source.eventSourceArn,
    startingPosition: options.startingPosition ?? lambda.StartingPosition.TRIM_HORIZON,
    batchSize: options.batchSize ?? DEFAULT_STREAM_BATCH_SIZE,
    maxBatchingWindow: options.maxBatchingWindow,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: options.retryAttempts ?? DEFAULT_STREAM_RETRY_ATTEMPTS,
    maxRecordAge: options.maxRecordAge ?? DEFAULT_STREAM_MAX_RECORD_AGE,
    onFailure: { bind: () => ({ destination: failures.queueArn }) },
    filters: options.filters,
  });
  // Lambda checks the role's permissions when it creates the mapping: the mapping waits for the policies that hold them.
  grants.forEach((grant) => grant.applyBefore(mapping));
  DeadLetterWatch.of(owner).add(failures, mapping);
  applyAlarms(mapping, fn, options, STREAM_CONSUMER_ALARMS, alarms);
  return mapping;
}

function checkConsumerOptions(problems: ProblemCollector, options: unknown): void {
  if (!requireStruct(problems, 'options', options, '{ batchSize: 50, retryAttempts: 2 }') || options === undefined) {
    return;
  }
  const o = options as Record<keyof StreamConsumerOptions, unknown>;
  const whole = (prop: string, value: unknown, min: number, max: number) => {
    if (requireOptionalNumber(problems, prop, value, String(min)) && typeof value === 'number' && !Token.isUnresolved(value)) {
      problems.require(Number.isInteger(value) && value >= min && value <= max, `\`${prop}\` must be a whole number from ${min} to ${max}, got: ${value}.`);
    }
  };
  const seconds = (prop: string, value: unknown, min: number, max: number, shown: string) => {
    if (requireDuration(problems, prop, value, 'Duration.minutes(1)') && value instanceof Duration && !Token.isUnresolved(value.toSeconds())) {
      problems.require(value.toSeconds() >= min && value.toSeconds() <= max, `\`${prop}\` must be ${shown}, got: ${value.toSeconds()} s.`);
    }
  };
  whole('batchSize', o.batchSize, 1, 10000);
  whole('retryAttempts', o.retryAttempts, 0, 10000);
  seconds('maxBatchingWindow', o.maxBatchingWindow, 0, 300, 'from 0 to 300 seconds');
  seconds('maxRecordAge', o.maxRecordAge, 60, 604800, 'from 1 minute to 7 days');
  requireEnumValue(problems, 'startingPosition', o.startingPosition, lambda.StartingPosition as unknown as Record<string, string>, 'lambda.StartingPosition');
  problems.require(o.startingPosition !== lambda.StartingPosition.AT_TIMESTAMP,
    '`startingPosition` AT_TIMESTAMP needs a timestamp this option does not take: use TRIM_HORIZON or LATEST.');
  requireOptionalArray(problems, 'filters', o.filters, '[lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual(\'INSERT\') })]', (prop, value) =>
    requireStruct(problems, prop, value, 'lambda.FilterCriteria.filter({ ... })', true));
}
