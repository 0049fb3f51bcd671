/**
 * Ids of public cdk-nag rules as acknowledgements name them (`<pack>::<rule>`).
 * One place, so an opt-out acknowledges the same ids everywhere.
 *
 * @internal
 */

/** Plugin names of the cdk-nag v3 packs. */
export const PACK = {
  AWS_SOLUTIONS: 'AwsSolutions',
  SERVERLESS: 'Serverless',
  HIPAA: 'HIPAA.Security',
  NIST_R5: 'NIST.800.53.R5',
  PCI: 'PCI.DSS.321',
  /** Not run by cdk-aegis; an app may add it (`additionalPacks`). */
  NIST_R4: 'NIST.800.53.R4',
} as const;

/** `<pack>::<pack>-<rule>[<finding>]`: the id an acknowledgement of that rule must carry. */
export function ruleId(pack: string, rule: string, finding?: string): string {
  return `${pack}::${pack}-${rule}${finding === undefined ? '' : `[${finding}]`}`;
}

/** The rules each cdk-aegis opt-out breaks, in every pack that has them. */
export const RULES = {
  lambdaTracing: [ruleId(PACK.SERVERLESS, 'LambdaTracing')],
  lambdaDeadLetterQueue: [
    ruleId(PACK.SERVERLESS, 'LambdaDLQ'),
    ruleId(PACK.HIPAA, 'LambdaDLQ'),
    ruleId(PACK.NIST_R5, 'LambdaDLQ'),
  ],
  secretRotation: [
    ruleId(PACK.AWS_SOLUTIONS, 'SMG4'),
    ruleId(PACK.HIPAA, 'SecretsManagerRotationEnabled'),
    ruleId(PACK.NIST_R5, 'SecretsManagerRotationEnabled'),
  ],
  /**
   * A queue that is itself a dead-letter queue: Serverless-SQSRedrivePolicy has no
   * exemption for it (AwsSolutions-SQS3 has one, so it is not acknowledged).
   */
  terminalDeadLetterQueue: [ruleId(PACK.SERVERLESS, 'SQSRedrivePolicy')],
  /** A Kinesis stream encrypted with a customer-managed key (AwsSolutions-KDS3 asks for the AWS-managed `aws/kinesis` key). */
  kinesisCustomerManagedKey: [ruleId(PACK.AWS_SOLUTIONS, 'KDS3')],
  /** A dead-letter queue of a service AwsSolutions-SQS3 does not look at (SNS subscriptions, EventBridge targets). */
  deadLetterQueueOfOtherService: [ruleId(PACK.AWS_SOLUTIONS, 'SQS3')],
  /** A bucket without replication (the regulated packs). */
  bucketReplication: [
    ruleId(PACK.HIPAA, 'S3BucketReplicationEnabled'),
    ruleId(PACK.NIST_R5, 'S3BucketReplicationEnabled'),
    ruleId(PACK.PCI, 'S3BucketReplicationEnabled'),
  ],
  /**
   * A bucket without Object Lock. Only NIST 800-53 R4 (not a pack of either profile)
   * has the rule, and it also wants a default retention, which SecureBucket does not set.
   */
  objectLock: [ruleId(PACK.NIST_R4, 'S3BucketDefaultLockEnabled')],
  /** A bucket receiving S3 server access logs, which AWS delivers to SSE-S3 buckets only. */
  accessLogBucketKms: [
    ruleId(PACK.HIPAA, 'S3DefaultEncryptionKMS'),
    ruleId(PACK.NIST_R5, 'S3DefaultEncryptionKMS'),
    ruleId(PACK.PCI, 'S3DefaultEncryptionKMS'),
  ],
  /** The granular IAM5 finding for a statement on `*`. */
  wildcardResource: [ruleId(PACK.AWS_SOLUTIONS, 'IAM5', 'Resource::*')],
  /** An API method anyone may call: APIG4 wants authorization, COG4 a Cognito authorizer. */
  apiAuthorization: [ruleId(PACK.AWS_SOLUTIONS, 'APIG4'), ruleId(PACK.AWS_SOLUTIONS, 'COG4')],
  /** An SQS event source mapping: the rule wants an on-failure destination, which SQS mappings do not support. */
  eventSourceMappingDestination: [ruleId(PACK.SERVERLESS, 'LambdaEventSourceMappingDestination')],
  /** COG4 accepts only Cognito user-pool authorizers, not IAM (SigV4) or Lambda authorizers. */
  cognitoAuthorizerOnly: [ruleId(PACK.AWS_SOLUTIONS, 'COG4')],
  /** A Lambda@Edge function: the edge runs no function in a VPC. */
  lambdaInVpc: [ruleId(PACK.HIPAA, 'LambdaInsideVPC'), ruleId(PACK.NIST_R5, 'LambdaInsideVPC'), ruleId(PACK.PCI, 'LambdaInsideVPC')],
  /** A distribution serving every country. */
  cloudFrontGeoRestriction: [ruleId(PACK.AWS_SOLUTIONS, 'CFR1')],
  /** A distribution on the `*.cloudfront.net` certificate, whose viewer policy CloudFront fixes at TLSv1. */
  cloudFrontViewerTls: [ruleId(PACK.AWS_SOLUTIONS, 'CFR4')],
} as const;
