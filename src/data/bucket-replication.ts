import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { grantKeyUseViaService } from '../core/encryption';
import { ProblemCollector, received } from '../core/errors';
import { AcknowledgementCause, checkJustification, Justification, recordOptOut } from '../core/justification';
import { RULES } from '../core/nag-rule-ids';
import { acknowledgeWildcardResources } from '../core/private/wildcard-findings';
import { ScopedRole } from '../core/role';

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

/** Options of {@link BucketReplication.to}. */
export interface BucketReplicationOptions {
  /**
   * ARN of the KMS key replicas are encrypted with, in the destination's
   * region. **Required for a KMS-encrypted source** (every SecureBucket):
   * S3 replicates KMS-encrypted objects only into a given key.
   *
   * @default - none (SSE-S3 sources only, e.g. the access log bucket)
   */
  readonly destinationKeyArn?: string;
}

/**
 * Where a bucket's objects are replicated. The regulated packs require
 * replication on every bucket; the destination lives outside this stack
 * (another region or account), so it is passed in by ARN.
 */
export class BucketReplication {
  /**
   * Replicates every new object (KMS-encrypted ones included) to
   * `destinationBucketArn`, which must have versioning on.
   */
  public static to(destinationBucketArn: string, options: BucketReplicationOptions = {}): BucketReplication {
    return new BucketReplication(destinationBucketArn, options.destinationKeyArn);
  }

  /** No replication; the reason is recorded against the replication rules. */
  public static none(justification: Justification): BucketReplication {
    return new BucketReplication(undefined, undefined, justification);
  }

  private constructor(
    /** The destination bucket's ARN, when replicating. */
    public readonly destinationBucketArn?: string,
    /** The ARN of the replicas' key, when given. */
    public readonly destinationKeyArn?: string,
    /** Why there is no replication, for `none()`. */
    public readonly justification?: Justification,
  ) {}

  /**
   * Adds every problem of this replication to `problems`, naming `prop`.
   *
   * @internal
   */
  public _check(problems: ProblemCollector, prop: string, sourceIsKms: boolean): void {
    if (this.destinationBucketArn === undefined) {
      checkJustification(problems, prop, this.justification);
      return;
    }
    if (!Token.isUnresolved(this.destinationBucketArn)) {
      problems.require(
        BUCKET_ARN.test(this.destinationBucketArn),
        `\`${prop}\` destination must be a bucket ARN like \`arn:aws:s3:::my-replica-bucket\`, got: ${received(this.destinationBucketArn)}.`,
      );
    }
    problems.require(
      !sourceIsKms || this.destinationKeyArn !== undefined,
      `\`${prop}\` of a KMS-encrypted bucket needs \`destinationKeyArn\` (a KMS key in the destination's region): S3 replicates KMS-encrypted objects only into a given key.`,
    );
    if (this.destinationKeyArn !== undefined && !Token.isUnresolved(this.destinationKeyArn)) {
      problems.require(
        KEY_ARN.test(this.destinationKeyArn),
        `\`${prop}\` \`destinationKeyArn\` must be a KMS key ARN like \`arn:aws:kms:eu-central-1:111122223333:key/<id>\`, got: ${received(this.destinationKeyArn)}.`,
      );
    }
  }

  /**
   * Configures replication of `bucket` (encrypted with `sourceKey`; with
   * S3 Object Lock on when `objectLocked`).
   *
   * @internal
   */
  public _apply(bucket: s3.Bucket, sourceKey: kms.IKey | undefined, objectLocked = false): void {
    if (this.destinationBucketArn === undefined) {
      recordOptOut(bucket, 'replication', this.justification!, RULES.bucketReplication);
      return;
    }
    const sourceObjects = bucket.arnForObjects('*');
    const destinationObjects = `${this.destinationBucketArn}/*`;
    const role = new ScopedRole(bucket, 'ReplicationRole', {
      assumedBy: new iam.ServicePrincipal('s3.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(bucket).account } } }),
      description: `Replicates ${bucket.node.path}`,
      // A policy of its own: an inline policy naming the bucket would make role and bucket depend on each other.
      customerManagedPolicy: true,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
      resources: [bucket.bucketArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [
        's3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging',
        // S3 replicates a locked object's retention and legal hold, and reads them as the replication role.
        ...(objectLocked ? ['s3:GetObjectRetention', 's3:GetObjectLegalHold'] : []),
      ],
      resources: [sourceObjects],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
      resources: [destinationObjects],
    }));
    if (sourceKey) {
      grantKeyUseViaService(sourceKey, role, 's3', ['kms:Decrypt']);
    }
    if (this.destinationKeyArn !== undefined) {
      const region = Token.isUnresolved(this.destinationKeyArn) ? undefined : KEY_ARN.exec(this.destinationKeyArn)?.[1];
      role.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [this.destinationKeyArn],
        conditions: region ? { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } : undefined,
      }));
    }
    acknowledgeWildcardResources(
      role,
      [sourceObjects, destinationObjects],
      AcknowledgementCause.AWS_FORCED,
      'S3 replication reads and writes object versions; object ARNs are bucket/key, and replication covers every key',
    );
    if (objectLocked) {
      Annotations.of(bucket).addWarningV2(
        '@cdk-aegis/replica-object-lock',
        `S3 replicates objects of a bucket with Object Lock only to a bucket with Object Lock: turn it on for ${this.destinationBucketArn} ` +
          '(its owner must), then acknowledge this warning.',
      );
    }
    (bucket.node.defaultChild as s3.CfnBucket).replicationConfiguration = {
      role: role.roleArn,
      rules: [{
        id: 'ReplicateEverything',
        status: 'Enabled',
        priority: 1,
        filter: { prefix: '' },
        deleteMarkerReplication: { status: 'Disabled' },
        sourceSelectionCriteria: sourceKey ? { sseKmsEncryptedObjects: { status: 'Enabled' } } : undefined,
        destination: {
          bucket: this.destinationBucketArn,
          encryptionConfiguration: this.destinationKeyArn ? { replicaKmsKeyId: this.destinationKeyArn } : undefined,
        },
      }],
    };
  }
}
