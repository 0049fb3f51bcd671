import { Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { BucketReplication } from './bucket-replication';
import { AegisValidationError, ProblemCollector } from '../core/errors';
import { acknowledge, AcknowledgementCause } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { guardedProps, SecuredProp } from '../core/private/construction';
import { stackSingleton } from '../core/private/stack-singleton';
import { readProfile, SecurityProfile } from '../core/profile';

/**
 * What every bucket cdk-aegis creates has: TLS 1.2-only, no public access,
 * ACLs off, versioned.
 *
 * @internal
 */
export const PRIVATE_BUCKET = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  versioned: true,
} as const satisfies s3.BucketProps;

/** s3.Bucket, as `guardedProps` names it. @internal */
export const BUCKET_BASE = { name: 's3.Bucket', injectionId: s3.Bucket.PROPERTY_INJECTION_ID };

/** The props every cdk-aegis bucket secures on s3.Bucket (those of PRIVATE_BUCKET and more). @internal */
export const SECURED_PRIVATE_BUCKET_PROPS: { [prop: string]: SecuredProp } = {
  encryption: { instead: 'cdk-aegis buckets choose their encryption' },
  enforceSSL: { instead: 'cdk-aegis buckets accept TLS requests only' },
  minimumTLSVersion: { instead: 'cdk-aegis buckets require TLS 1.2' },
  blockPublicAccess: { instead: 'cdk-aegis buckets block all public access; serve public content through CloudFront' },
  publicReadAccess: { instead: 'cdk-aegis buckets block all public access; serve public content through CloudFront' },
  objectOwnership: { instead: 'cdk-aegis buckets enforce bucket-owner object ownership (no ACLs)' },
  versioned: { instead: 'cdk-aegis buckets keep object versions' },
  serverAccessLogsBucket: { instead: 'cdk-aegis buckets log to the stack log bucket; see `SecureBucket.configureAccessLogs`' },
  serverAccessLogsPrefix: { instead: 'cdk-aegis buckets log to the stack log bucket; see `SecureBucket.configureAccessLogs`' },
  autoDeleteObjects: { instead: 'cdk-aegis buckets never delete objects on stack deletion' },
  removalPolicy: { instead: 'cdk-aegis keeps this bucket when the stack is deleted' },
};

/**
 * Bucket events go to EventBridge, set on the L1: the L2's `eventBridgeEnabled`
 * would add CDK's notification custom resource (a Lambda function).
 *
 * @internal
 */
export const EVENTS_TO_EVENTBRIDGE: s3.CfnBucket.NotificationConfigurationProperty = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

/** Construct id of the per-stack server access log bucket. Public contract: do not rename. */
export const ACCESS_LOGS_BUCKET_ID = 'AegisAccessLogsBucket';
/** How long server access logs are kept, per profile. */
export const ACCESS_LOG_EXPIRATION: Record<SecurityProfile, Duration> = {
  [SecurityProfile.BASELINE]: Duration.days(90),
  [SecurityProfile.REGULATED]: Duration.days(365),
};

/** Options of {@link SecureBucket.configureAccessLogs}. */
export interface AccessLogsOptions {
  /**
   * Replication of the log bucket. **Required under REGULATED** (the packs
   * require replication on every bucket, log buckets included).
   *
   * @default - none (BASELINE)
   */
  readonly replication?: BucketReplication;
}

/**
 * The stack's bucket for S3 server access logs: SSE-S3 (the only encryption
 * S3 log delivery supports), TLS-only, no public access, object ownership
 * enforced, logs delivered by a bucket policy that names exactly the buckets
 * that log there (see `allowLogDeliveryFrom`), expired after 90 days (1 year under REGULATED), events to EventBridge.
 *
 * @internal
 */
export function accessLogsBucket(scope: IConstruct, options?: AccessLogsOptions): s3.Bucket {
  const profile = readProfile(scope);
  return stackSingleton(scope, ACCESS_LOGS_BUCKET_ID, "cdk-aegis's access log bucket", (c) => c instanceof s3.Bucket, (stack) => {
    const problems = new ProblemCollector(stack, ACCESS_LOGS_BUCKET_ID);
    if (profile === SecurityProfile.REGULATED && options?.replication === undefined) {
      throw new AegisValidationError(stack.node.path, [
        'the REGULATED profile requires replication of the access log bucket too: call ' +
          '`SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to(arn) })` (or `BucketReplication.none({ reason })`) before the first SecureBucket.',
      ]);
    }
    options?.replication?._check(problems, 'replication', false);
    problems.throwIfAny();
    const bucket = new s3.Bucket(stack, ACCESS_LOGS_BUCKET_ID, guardedProps(stack, ACCESS_LOGS_BUCKET_ID, 'access log bucket', BUCKET_BASE, {
      ...PRIVATE_BUCKET,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{
        expiration: ACCESS_LOG_EXPIRATION[profile],
        // Overwritten or deleted logs stay as long as current ones: a delete cannot erase the evidence within a day.
        noncurrentVersionExpiration: ACCESS_LOG_EXPIRATION[profile],
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
      // No Object Lock, not even under REGULATED (the issue asked for governance retention): "S3 buckets with
      // Object Lock can't be used as destination buckets for server access logs"
      // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html). Deleted or overwritten
      // logs are kept as noncurrent versions as long as current ones instead (see the lifecycle rule above).
    }, SECURED_PRIVATE_BUCKET_PROPS));
    (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = EVENTS_TO_EVENTBRIDGE;
    if (profile === SecurityProfile.REGULATED) {
      acknowledge(
        bucket,
        AcknowledgementCause.AWS_FORCED,
        RULES.accessLogBucketKms,
        'S3 delivers server access logs only to buckets encrypted with SSE-S3, not SSE-KMS',
      );
    }
    options?.replication?._apply(bucket, undefined);
    return bucket;
  });
}

/** Where a log bucket keeps the buckets that deliver to it, in the order they were added (on the bucket, not in a module registry). */
const LOG_SOURCES = Symbol('cdk-aegis.logSources');

/**
 * Lets S3 deliver `source`'s server access logs to `logs`. The log bucket's
 * policy has one statement for S3 log delivery whose `aws:SourceArn` lists
 * exactly the buckets added here (a list that grows as buckets are added).
 * No dependency cycle: the statement depends on the source buckets, which
 * depend only on the log bucket (their logging configuration names it), not
 * on its policy. aws-cdk-lib's own `serverAccessLogsBucket` scopes delivery
 * the same way for a source bucket of the same stack.
 *
 * @internal
 */
export function allowLogDeliveryFrom(logs: s3.Bucket, source: s3.IBucket): void {
  const holder = logs as unknown as { [LOG_SOURCES]?: s3.IBucket[] };
  if (holder[LOG_SOURCES] === undefined) {
    const list: s3.IBucket[] = [];
    Object.defineProperty(holder, LOG_SOURCES, { value: list, enumerable: false });
    logs.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsOfTheBucketsLoggingHere',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [logs.arnForObjects('*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(logs).account },
        ArnLike: { 'aws:SourceArn': Lazy.list({ produce: () => list.map((b) => b.bucketArn) }) },
      },
    }));
  }
  holder[LOG_SOURCES]!.push(source);
}

/**
 * Creates the stack's access log bucket with `options`; fails when a
 * SecureBucket already created it with the defaults.
 *
 * @internal
 */
export function configureAccessLogsBucket(scope: IConstruct, options: AccessLogsOptions): s3.Bucket {
  const stack = Stack.of(scope);
  if (stack.node.tryFindChild(ACCESS_LOGS_BUCKET_ID) !== undefined) {
    throw new AegisValidationError(stack.node.path, [
      'the access log bucket already exists (an earlier SecureBucket created it); call `SecureBucket.configureAccessLogs()` before the first SecureBucket of the stack.',
    ]);
  }
  return accessLogsBucket(scope, options);
}

/**
 * The stack's log bucket, made to accept CloudFront's standard logs, which
 * CloudFront writes with ACLs (to the awslogsdelivery account): object
 * ownership becomes `BucketOwnerPreferred`. Public access stays blocked.
 *
 * @internal
 */
export function cloudFrontLogsBucket(scope: IConstruct): s3.Bucket {
  const bucket = accessLogsBucket(scope);
  (bucket.node.defaultChild as s3.CfnBucket).ownershipControls = { rules: [{ objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED }] };
  return bucket;
}
