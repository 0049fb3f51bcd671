import { ArnFormat, Duration, Lazy, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { StackKey } from '../core/encryption';
import { AegisValidationError, ProblemCollector, received } from '../core/errors';
import { AcknowledgementCause } from '../core/justification';
import { checkLogRetention, createSecureLogGroup } from '../core/log-group';
import { requireDuration, requireInterface, requireOptionalBoolean, requireOptionalNonEmptyString, requireProps, requireStruct } from '../core/private/input-checks';
import { acknowledgeWildcardResources } from '../core/private/wildcard-findings';
import { readProfile, SecurityProfile } from '../core/profile';
import { ScopedRole } from '../core/role';
import { ACCESS_LOGS_BUCKET_ID } from '../data/access-logs-bucket';
import { BucketReplication } from '../data/bucket-replication';
import { SecureBucket } from '../data/secure-bucket';

/** How long the trail's log files stay in its bucket, per profile (HIPAA keeps audit records six years). */
const DEFAULT_LOG_FILE_RETENTION: Record<SecurityProfile, Duration> = Object.freeze({
  [SecurityProfile.BASELINE]: Duration.days(365),
  [SecurityProfile.REGULATED]: Duration.days(7 * 365),
});
/** How long the trail's CloudWatch Logs copy is kept (both profiles: a year of searchable history). */
const DEFAULT_TRAIL_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** Shortest log-file retention the REGULATED profile accepts (PCI DSS 10.7: a year of audit history). */
const REGULATED_MIN_LOG_FILE_DAYS = 365;
/** CloudTrail accepts at most 500 values across all conditions of a trail's advanced event selectors. */
const MAX_SELECTOR_VALUES = 500;
/** Trail names: 3 to 128 letters, digits, periods, underscores and dashes, starting with a letter or digit. */
const TRAIL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/;

/** Props of {@link SecureAuditTrail}. */
export interface SecureAuditTrailProps {
  /**
   * The trail's name (3 to 128 letters, digits, `.`, `_`, `-`). The name is
   * known at synth, so the bucket and key policies can name exactly this trail
   * (`aws:SourceArn`) without depending on it.
   *
   * @default - derived from the construct path, unique within the account and region
   */
  readonly trailName?: string;

  /**
   * Key for the log files, the bucket and the CloudWatch Logs copy.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long log files stay in the bucket before they expire. At least a year
   * under REGULATED.
   *
   * @default - 1 year (BASELINE), 7 years (REGULATED)
   */
  readonly logFileRetention?: Duration;

  /**
   * Retention of the CloudWatch Logs copy (where the trail is searched and
   * alarmed on). At least a year under REGULATED.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Replication of the trail's bucket. **Required under REGULATED**, as for
   * every SecureBucket.
   *
   * @default - none (BASELINE)
   */
  readonly replication?: BucketReplication;
}

/** Options of {@link SecureAuditTrail.recordDataEvents}. */
export interface RecordDataEventsOptions {
  /**
   * Record reads too (e.g. `GetItem`, `GetObject`), not only writes. Reads are
   * usually most of the traffic: data events cost $0.10 per 100,000.
   *
   * @default false - writes only (for a function: every invocation)
   */
  readonly includeReads?: boolean;
}

/** A kind of resource whose data events a trail can record. */
interface DataEventKind {
  /** CloudTrail's `resources.type`; none when the service's calls are all management events. */
  readonly type?: string;
  /** The ARN condition of the selector: exact, or every object under a bucket. */
  readonly arn: (resource: any) => { equals?: string[]; startsWith?: string[] };
  /** Whether the kind has read and write data events (a function's invocations are all one kind). */
  readonly readWrite: boolean;
}

const DATA_EVENT_KINDS: Array<{ is: (c: IConstruct) => boolean; kind: DataEventKind }> = [
  { is: (c) => c instanceof dynamodb.TableBase || c instanceof dynamodb.TableBaseV2, kind: { type: 'AWS::DynamoDB::Table', arn: (t: dynamodb.ITable) => ({ equals: [t.tableArn] }), readWrite: true } },
  { is: (c) => c instanceof s3.BucketBase, kind: { type: 'AWS::S3::Object', arn: (b: s3.IBucket) => ({ startsWith: [`${b.bucketArn}/`] }), readWrite: true } },
  { is: (c) => c instanceof lambda.FunctionBase, kind: { type: 'AWS::Lambda::Function', arn: (f: lambda.IFunction) => ({ equals: [f.functionArn] }), readWrite: false } },
  { is: (c) => c instanceof sqs.QueueBase, kind: { type: 'AWS::SQS::Queue', arn: (q: sqs.IQueue) => ({ equals: [q.queueArn] }), readWrite: true } },
  { is: (c) => c instanceof sns.TopicBase, kind: { type: 'AWS::SNS::Topic', arn: (t: sns.ITopic) => ({ equals: [t.topicArn] }), readWrite: true } },
  // Secrets Manager has no CloudTrail data events (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
  // lists none): CloudTrail records every Secrets Manager call, GetSecretValue included, with the management events, reads and writes.
  { is: (c) => isSecret(c), kind: { arn: () => ({}), readWrite: true } },
];

/** aws-cdk-lib exports no base class of secrets: a secret is a resource with an ARN and `grantRead`. */
function isSecret(c: IConstruct): c is secretsmanager.ISecret {
  const candidate = c as Partial<secretsmanager.ISecret>;
  return c instanceof Resource && typeof candidate.secretArn === 'string' && typeof candidate.grantRead === 'function';
}

/**
 * A CloudTrail trail that records every management event of the account in
 * every region, and the data events of the resources you name:
 *
 * - log files with integrity validation, encrypted with a customer-managed
 *   key that lets CloudTrail in for exactly this trail (`aws:SourceArn`, the
 *   CloudTrail encryption context);
 * - delivered to a SecureBucket (retained, lifecycled, logged, TLS-only)
 *   where CloudTrail is the only service that may write, for exactly this trail;
 * - copied to an encrypted, retained CloudWatch Logs group through a role that
 *   may write only to that group;
 * - advanced event selectors: management events, then one selector per
 *   resource passed to {@link recordDataEvents}.
 *
 * Management events cost nothing for an account's first trail copy; data
 * events cost $0.10 per 100,000.
 *
 * @example
 * const trail = new SecureAuditTrail(this, 'AuditTrail');
 * trail.recordDataEvents(orders);                              // writes to the table
 * trail.recordDataEvents(uploads, { includeReads: true });     // reads and writes of the objects
 */
export class SecureAuditTrail extends Construct {
  /** Default retention of the log files in the bucket, per profile. */
  public static readonly DEFAULT_LOG_FILE_RETENTION_BASELINE: Duration = DEFAULT_LOG_FILE_RETENTION[SecurityProfile.BASELINE];
  /** Default retention of the log files in the bucket under REGULATED. */
  public static readonly DEFAULT_LOG_FILE_RETENTION_REGULATED: Duration = DEFAULT_LOG_FILE_RETENTION[SecurityProfile.REGULATED];
  /** Default retention of the CloudWatch Logs copy. */
  public static readonly DEFAULT_LOG_RETENTION: logs.RetentionDays = DEFAULT_TRAIL_LOG_RETENTION;

  /** The trail's name. */
  public readonly trailName: string;
  /** The trail's ARN. */
  public readonly trailArn: string;
  /** The bucket the log files are delivered to. */
  public readonly bucket: SecureBucket;
  /** The CloudWatch Logs copy of the trail. */
  public readonly logGroup: logs.ILogGroup;
  /** The key the log files are encrypted with. */
  public readonly encryptionKey: kms.IKey;

  private readonly trail: cloudtrail.CfnTrail;
  private readonly dataSelectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [];
  private readonly recorded = new Set<string>();

  constructor(scope: Construct, id: string, props: SecureAuditTrailProps = {}) {
    super(scope, id);
    const profile = readProfile(this);
    checkProps(this, props, profile);
    const stack = Stack.of(this);
    this.encryptionKey = props.encryptionKey ?? StackKey.of(this);
    this.trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    // A literal ARN (pseudo parameters only): policies can name this trail without depending on it.
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: this.trailName });

    this.bucket = new SecureBucket(this, 'Bucket', { encryptionKey: this.encryptionKey, replication: props.replication });
    this.bucket.addLifecycleRule({ id: 'ExpireLogFiles', expiration: props.logFileRetention ?? DEFAULT_LOG_FILE_RETENTION[profile] });
    // No S3 Bucket Key here: with one, CloudTrail needs kms:Decrypt on the key, a statement its docs give without any
    // condition ("If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required",
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html). Without it,
    // CloudTrail needs only GenerateDataKey*, held to this trail; the cost is one KMS request per log file.
    (this.bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration.0.BucketKeyEnabled', false);
    this.allowDeliveryToBucket();
    this.allowTrailToUseKey();

    const logGroup = createSecureLogGroup(this, 'LogGroup', { encryptionKey: this.encryptionKey, retention: props.logRetention ?? DEFAULT_TRAIL_LOG_RETENTION });
    this.logGroup = logGroup;
    const logsRole = this.logDeliveryRole(logGroup, profile);

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: this.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: this.encryptionKey.keyArn,
      s3BucketName: this.bucket.bucketName,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
      // Advanced selectors only (CloudFormation refuses basic and advanced together): management events, then one per recorded resource.
      advancedEventSelectors: Lazy.any({
        produce: () => [{ name: 'Management events', fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] }, ...this.dataSelectors],
      }),
    });
    // CloudTrail checks its permissions when the trail is created: the policies come first.
    this.trail.node.addDependency(this.bucket.policy!, logsRole);
    this.node.addValidation({ validate: () => this.checkSelectorSize() });
  }

  /**
   * Records the data events of `resource`: a table's item writes, a bucket's
   * object writes, a function's invocations, a queue's message sends and
   * deletes, a topic's publishes (reads too with `includeReads`). Takes
   * SecureTable, SecureBucket, SecureFunction, SecureQueue, SecureTopic and
   * SecureSecret, and their aws-cdk-lib parents. Each resource gets an
   * advanced event selector scoped to its ARN, except a secret: Secrets
   * Manager has no data events, and every call to it (`GetSecretValue`
   * included) is a management event this trail records already.
   *
   * @param resource the resource whose data events to record
   * @param options what to record
   */
  public recordDataEvents(resource: IConstruct, options: RecordDataEventsOptions = {}): void {
    const problems = new ProblemCollector(this);
    const found = resource !== null && typeof resource === 'object' ? DATA_EVENT_KINDS.find((k) => k.is(resource)) : undefined;
    if (found === undefined) {
      throw new AegisValidationError(this.node.path, [
        `\`resource\` must be a table, bucket, function, queue, topic or secret (e.g. a SecureTable), got: ${received(resource)}.`,
      ]);
    }
    if (requireStruct(problems, 'options', options, '{ includeReads: true }')) {
      requireOptionalBoolean(problems, 'options.includeReads', (options as any).includeReads);
    }
    problems.throwIfAny();
    this.refuseFeedbackLoop(resource);
    const path = resource.node.path;
    if (this.recorded.has(path)) {
      throw new AegisValidationError(this.node.path, [`the data events of ${path} are already recorded; call \`recordDataEvents\` once per resource.`]);
    }
    this.recorded.add(path);
    if (found.kind.type === undefined) {
      return; // recorded already, with the management events
    }
    const arn = found.kind.arn(resource);
    const fieldSelectors: cloudtrail.CfnTrail.AdvancedFieldSelectorProperty[] = [
      { field: 'eventCategory', equalTo: ['Data'] },
      { field: 'resources.type', equalTo: [found.kind.type] },
      { field: 'resources.ARN', equalTo: arn.equals, startsWith: arn.startsWith },
    ];
    if (found.kind.readWrite && !options.includeReads) {
      fieldSelectors.push({ field: 'readOnly', equalTo: ['false'] });
    }
    this.dataSelectors.push({ name: `Data events of ${path}`.slice(0, 1000), fieldSelectors });
  }

  /** The trail's own bucket, or the bucket its bucket logs to, would record its own deliveries forever. */
  private refuseFeedbackLoop(resource: IConstruct): void {
    const stack = Stack.of(this);
    const nameOf = (bucket: IConstruct | undefined) =>
      (bucket instanceof s3.BucketBase ? JSON.stringify(stack.resolve(bucket.bucketName)) : undefined);
    const name = nameOf(resource);
    const accessLogs = Stack.of(this.bucket).node.tryFindChild(ACCESS_LOGS_BUCKET_ID);
    // Compared by name, so an imported handle on the same bucket is caught too.
    const loop = name === undefined
      ? undefined
      : name === nameOf(this.bucket)
        ? 'the trail\'s own bucket: each log file it delivers is an object write, which it would record in the next log file, forever'
        : name === nameOf(accessLogs)
          ? 'the bucket that receives the trail bucket\'s server access logs: each log file delivered makes an access log, ' +
            'which it would record, forever'
          : undefined;
    if (loop !== undefined) {
      throw new AegisValidationError(this.node.path, [`\`recordDataEvents\` refuses ${loop}.`]);
    }
  }

  /** CloudTrail may read the bucket's ACL and write log files for this account, for this trail only. */
  private allowDeliveryToBucket(): void {
    const stack = Stack.of(this);
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const thisTrail = { 'aws:SourceArn': this.trailArn };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailReadsTheAcl',
      principals: [principal],
      actions: ['s3:GetBucketAcl'],
      resources: [this.bucket.bucketArn],
      conditions: { StringEquals: thisTrail },
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailWritesLogFiles',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { StringEquals: { ...thisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
  }

  /** The key lets CloudTrail encrypt log files for this trail only, and describe the key. */
  private allowTrailToUseKey(): void {
    const stack = Stack.of(this);
    const principal = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const added = [
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsLogFiles',
        principals: [principal],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': this.trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
        },
      }),
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesTheKey',
        principals: [principal],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': this.trailArn } },
      }),
    ].map((statement) => this.encryptionKey.addToResourcePolicy(statement, true).statementAdded);
    if (added.includes(false)) {
      throw new AegisValidationError(this.node.path, [
        `\`encryptionKey\` ${this.encryptionKey.node.path} is imported, so its policy cannot let CloudTrail encrypt this trail's log files; ` +
          'pass a key of this app (or omit it for the stack key).',
      ]);
    }
  }

  /** CloudTrail's role for the CloudWatch Logs copy: create streams and put events in this one group, nothing else. */
  private logDeliveryRole(logGroup: logs.LogGroup, profile: SecurityProfile): iam.Role {
    const role = new ScopedRole(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: `cdk-aegis: CloudTrail delivers trail ${this.trailName} to ${logGroup.node.path}`,
      customerManagedPolicy: profile === SecurityProfile.REGULATED,
    });
    // CloudTrail names the streams itself (<account>_CloudTrail_<region>, one per source region).
    const stack = Stack.of(this);
    const streamArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${logGroup.logGroupName}:log-stream:${stack.account}_CloudTrail_*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [streamArn] }));
    acknowledgeWildcardResources(role, [streamArn], AcknowledgementCause.AWS_FORCED,
      'CloudTrail names the log streams of its CloudWatch Logs copy itself, one per source region (<account>_CloudTrail_<region>): ' +
        'the role may write to those streams of this one log group only');
    return role;
  }

  private checkSelectorSize(): string[] {
    const values = [{ fieldSelectors: [{ equalTo: ['Management'] }] }, ...this.dataSelectors]
      .flatMap((s) => s.fieldSelectors as any[])
      .reduce((n, f) => n + (f.equalTo?.length ?? 0) + (f.startsWith?.length ?? 0), 0);
    return values > MAX_SELECTOR_VALUES
      ? [`the trail's event selectors have ${values} values; CloudTrail accepts at most ${MAX_SELECTOR_VALUES}. Record fewer resources, or split them across trails.`]
      : [];
  }
}

function checkProps(scope: Construct, props: SecureAuditTrailProps, profile: SecurityProfile): void {
  const problems = new ProblemCollector(scope);
  if (!requireProps(problems, props, '{ trailName: \'audit\' }')) {
    problems.throwIfAny();
  }
  const p = props as unknown as Record<keyof SecureAuditTrailProps, unknown>;
  if (requireOptionalNonEmptyString(problems, 'trailName', p.trailName, 'audit-trail') && typeof p.trailName === 'string' && !Token.isUnresolved(p.trailName)) {
    problems.require(
      TRAIL_NAME_PATTERN.test(p.trailName),
      `\`trailName\` must be 3 to 128 letters, digits, \`.\`, \`_\` or \`-\`, starting with a letter or digit, got: ${received(p.trailName)}.`,
    );
  }
  requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  if (requireDuration(problems, 'logFileRetention', p.logFileRetention, 'Duration.days(365)') && p.logFileRetention !== undefined) {
    const days = (p.logFileRetention as Duration).toDays({ integral: false });
    problems.require(Number.isInteger(days) && days >= 1, `\`logFileRetention\` must be a whole number of days, at least 1, got: ${(p.logFileRetention as Duration).toHumanString()}.`);
    problems.require(
      profile !== SecurityProfile.REGULATED || days >= REGULATED_MIN_LOG_FILE_DAYS,
      `\`logFileRetention\` must be at least ${REGULATED_MIN_LOG_FILE_DAYS} days under the REGULATED profile, got: ${(p.logFileRetention as Duration).toHumanString()}.`,
    );
  }
  checkLogRetention(problems, 'logRetention', p.logRetention as logs.RetentionDays | undefined, profile);
  problems.throwIfAny();
}
