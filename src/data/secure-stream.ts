import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { addStreamConsumer, DEFAULT_STREAM_BATCH_SIZE, DEFAULT_STREAM_MAX_RECORD_AGE, DEFAULT_STREAM_RETRY_ATTEMPTS, StreamConsumerOptions } from './stream-consumer';
import { grantKeyUseViaService, StackKey } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import { requireDuration, requireEnumValue, requireInterface, requireOptionalBoolean, requireOptionalNumber, requireOptionalString, requireStruct } from '../core/private/input-checks';

/** How long a stream keeps its records by default (Kinesis's minimum). */
export const DEFAULT_STREAM_RETENTION = Duration.hours(24);

/** What a consumer reads of a stream (no `kinesis:ListStreams`, which lists every stream of the account). */
const READ_ACTIONS = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
/** What a producer needs. */
const WRITE_ACTIONS = ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'];

/** Props of {@link SecureStream}. */
export interface SecureStreamProps {
  /**
   * The stream's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly streamName?: string;

  /**
   * How long records stay in the stream (24 hours to 365 days).
   *
   * @default Duration.hours(24)
   */
  readonly retentionPeriod?: Duration;

  /**
   * Capacity mode.
   *
   * @default kinesis.StreamMode.ON_DEMAND (scales with the traffic; no shard to plan)
   */
  readonly streamMode?: kinesis.StreamMode;

  /**
   * Shards of a PROVISIONED stream.
   *
   * @default - 1 with PROVISIONED; none with ON_DEMAND
   */
  readonly shardCount?: number;

  /**
   * Key encrypting the records.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * What happens to the stream (and its records) when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Options of {@link SecureStream.addConsumer}. */
export interface SecureStreamConsumerOptions extends StreamConsumerOptions {
  /**
   * Read through a dedicated enhanced fan-out consumer (its own 2 MB/s per
   * shard, pushed over HTTP/2), instead of sharing the shards' read
   * throughput with the other consumers.
   *
   * @default false
   */
  readonly enhancedFanOut?: boolean;
}

const SECURED_STREAM_PROPS: { [prop: string]: SecuredProp } = {
  encryption: { instead: 'SecureStream encrypts with a customer-managed KMS key' },
  encryptionKey: { instead: 'choose the key with `encryptionKey`' },
  removalPolicy: { instead: 'pass `removalPolicy` to the SecureStream' },
};

/**
 * A Kinesis data stream encrypted with a customer-managed key (the stack key
 * by default), on-demand, retained on stack deletion. It is a
 * `kinesis.Stream`; its grants give exact actions, with the key through
 * Kinesis only, and `addConsumer` wires a function with its failure path.
 *
 * @example
 * const clicks = new SecureStream(this, 'Clicks');
 * clicks.addConsumer(aggregator, { batchSize: 500 });
 * clicks.grantWrite(collector);
 */
export class SecureStream extends kinesis.Stream {
  /** How long a stream keeps its records by default. */
  public static readonly DEFAULT_RETENTION: Duration = DEFAULT_STREAM_RETENTION;

  /** Retries of a consumer's failed batch before its records go to the on-failure queue (`addConsumer`, and SecureTable's stream consumers). */
  public static readonly DEFAULT_CONSUMER_RETRY_ATTEMPTS: number = DEFAULT_STREAM_RETRY_ATTEMPTS;

  /** How old a record may get before a consumer sends it to the on-failure queue unprocessed. */
  public static readonly DEFAULT_CONSUMER_MAX_RECORD_AGE: Duration = DEFAULT_STREAM_MAX_RECORD_AGE;

  /** Records per batch of a consumer. */
  public static readonly DEFAULT_CONSUMER_BATCH_SIZE: number = DEFAULT_STREAM_BATCH_SIZE;

  constructor(scope: Construct, id: string, props: SecureStreamProps = {}) {
    checkProps(scope, id, props);
    const key = props.encryptionKey ?? StackKey.of(scope);
    const mode = props.streamMode ?? kinesis.StreamMode.ON_DEMAND;
    super(scope, id, guardedProps(scope, id, 'SecureStream', { name: 'kinesis.Stream', injectionId: kinesis.Stream.PROPERTY_INJECTION_ID }, {
      streamName: props.streamName,
      retentionPeriod: props.retentionPeriod ?? DEFAULT_STREAM_RETENTION,
      streamMode: mode,
      shardCount: mode === kinesis.StreamMode.PROVISIONED ? props.shardCount ?? 1 : undefined,
      encryption: kinesis.StreamEncryption.KMS,
      encryptionKey: key,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    }, SECURED_STREAM_PROPS));
    // KDS3 exists to save a customer-managed key's cost and accepts only `alias/aws/kinesis`: it has no exemption for the
    // customer-managed key every cdk-aegis store uses (a key policy the app controls, rotation, revocation, one audit trail).
    acknowledge(this, AcknowledgementCause.RULE_DEFECT, RULES.kinesisCustomerManagedKey,
      'the stream is encrypted with a customer-managed key (the stack key or `encryptionKey`), as every cdk-aegis store is; the rule accepts only the AWS-managed aws/kinesis key');
  }

  /** The key encrypting the records (the L2's, always set). */
  private get key(): kms.IKey {
    return this.encryptionKey!;
  }

  /**
   * Lets `fn` process the stream's records: an event source mapping that
   * splits a failed batch, reports partial-batch failures, retries
   * `retryAttempts` times (default 3) for records up to `maxRecordAge` old
   * (default 6 hours), then sends the failed batch's description to an
   * encrypted on-failure queue the stack's dead-letter alarm watches. `fn`
   * may read this stream only (and its own enhanced fan-out consumer).
   */
  public addConsumer(fn: lambda.IFunction, options: SecureStreamConsumerOptions = {}): lambda.EventSourceMapping {
    const problems = new ProblemCollector(this);
    if (requireStruct(problems, 'options', options, '{ batchSize: 500, enhancedFanOut: true }')) {
      requireOptionalBoolean(problems, 'enhancedFanOut', (options as Record<string, unknown> | undefined)?.enhancedFanOut);
    }
    const fanOutId = fn?.node !== undefined ? `FanOut${Names.nodeUniqueId(fn.node)}` : undefined;
    problems.require(options?.enhancedFanOut !== true || fanOutId === undefined || this.node.tryFindChild(fanOutId) === undefined,
      `${fn?.node?.path} already reads this stream through enhanced fan-out; add it once.`);
    problems.throwIfAny();
    const fanOut = options?.enhancedFanOut === true && fanOutId !== undefined
      ? new kinesis.CfnStreamConsumer(this, fanOutId, {
        streamArn: this.streamArn,
        consumerName: Names.uniqueResourceName(fn, { maxLength: 128 }),
      })
      : undefined;
    return addStreamConsumer(this, fn, {
      kind: 'Kinesis stream',
      eventSourceArn: fanOut?.attrConsumerArn ?? this.streamArn,
      encryptionKey: this.key,
      grantRead: (grantee) => [
        this.grantRead(grantee),
        ...(fanOut ? [iam.Grant.addToPrincipal({ grantee, actions: ['kinesis:SubscribeToShard', 'kinesis:DescribeStreamConsumer'], resourceArns: [fanOut.attrConsumerArn] })] : []),
      ],
    }, options ?? {});
  }

  /** Grants reading records (exact actions on this stream) and `kms:Decrypt` through Kinesis only. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({ grantee, actions: READ_ACTIONS, resourceArns: [this.streamArn], resource: this })
      .combine(grantKeyUseViaService(this.key, grantee, 'kinesis', ['kms:Decrypt']));
  }

  /** Grants putting records (exact actions on this stream) and `kms:GenerateDataKey` through Kinesis only. */
  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({ grantee, actions: WRITE_ACTIONS, resourceArns: [this.streamArn], resource: this })
      .combine(grantKeyUseViaService(this.key, grantee, 'kinesis', ['kms:GenerateDataKey']));
  }

  /** Grants both `grantRead` and `grantWrite`. */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipalOrResource({
      grantee, actions: [...new Set([...READ_ACTIONS, ...WRITE_ACTIONS])], resourceArns: [this.streamArn], resource: this,
    }).combine(grantKeyUseViaService(this.key, grantee, 'kinesis', ['kms:Decrypt', 'kms:GenerateDataKey']));
  }
}

function checkProps(scope: Construct, id: string, props: SecureStreamProps): void {
  const problems = new ProblemCollector(scope, id);
  if (!requireStruct(problems, 'props', props, '{ retentionPeriod: Duration.days(7) }')) {
    problems.throwIfAny();
  }
  const p = props as unknown as Record<keyof SecureStreamProps, unknown>;
  requireOptionalString(problems, 'streamName', p.streamName);
  requireEnumValue(problems, 'streamMode', p.streamMode, kinesis.StreamMode as unknown as Record<string, string>, 'kinesis.StreamMode');
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  requireEnumValue(problems, 'removalPolicy', p.removalPolicy, RemovalPolicy as unknown as Record<string, string>, 'RemovalPolicy');
  if (requireDuration(problems, 'retentionPeriod', p.retentionPeriod, 'Duration.days(7)') && p.retentionPeriod instanceof Duration
    && !Token.isUnresolved(p.retentionPeriod.toHours({ integral: false }))) {
    const hours = p.retentionPeriod.toHours({ integral: false });
    problems.require(Number.isInteger(hours) && hours >= 24 && hours <= 8760,
      `\`retentionPeriod\` must be whole hours from 24 to 8760 (365 days), got: ${hours} h.`);
  }
  if (requireOptionalNumber(problems, 'shardCount', p.shardCount, '2') && p.shardCount !== undefined) {
    problems.require(p.streamMode === kinesis.StreamMode.PROVISIONED,
      `\`shardCount\` applies to PROVISIONED streams only (an ON_DEMAND stream scales by itself), got: ${received(p.shardCount)}.`);
    problems.require(typeof p.shardCount === 'number' && (Token.isUnresolved(p.shardCount) || (Number.isInteger(p.shardCount) && p.shardCount >= 1)),
      `\`shardCount\` must be a whole number of at least 1, got: ${received(p.shardCount)}.`);
  }
  problems.throwIfAny();
}
