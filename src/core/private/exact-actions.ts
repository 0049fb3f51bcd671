/**
 * Exact IAM action lists cdk-aegis grants instead of the wildcards aws-cdk-lib's
 * `grant*()` methods write. Shared by SecureBucket's grants and SecureDefaults'
 * rewrite of plain L2 grants.
 */

/** Reading objects (with their versions and tags). @internal */
export const OBJECT_READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTagging', 's3:GetObjectVersionTagging'];
/** Listing a bucket and finding its region. @internal */
export const BUCKET_READ_ACTIONS = ['s3:ListBucket', 's3:GetBucketLocation'];
/** Writing objects (tags, legal holds, retention) and aborting multipart uploads. @internal */
export const OBJECT_PUT_ACTIONS = [
  's3:PutObject',
  's3:PutObjectTagging',
  's3:PutObjectVersionTagging',
  's3:PutObjectLegalHold',
  's3:PutObjectRetention',
  's3:AbortMultipartUpload',
];
/** Deleting objects and their versions. @internal */
export const OBJECT_DELETE_ACTIONS = ['s3:DeleteObject', 's3:DeleteObjectVersion'];

/**
 * What each wildcard action of aws-cdk-lib's grants becomes: every action it
 * matches in the IAM service authorization reference (S3, KMS), so no grant
 * loses a permission it had, and no `*` is left in the action.
 *
 * @internal
 */
export const EXACT_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  's3:GetObject*': [
    's3:GetObject', 's3:GetObjectAcl', 's3:GetObjectAttributes', 's3:GetObjectLegalHold', 's3:GetObjectRetention', 's3:GetObjectTagging',
    's3:GetObjectTorrent', 's3:GetObjectVersion', 's3:GetObjectVersionAcl', 's3:GetObjectVersionAttributes',
    's3:GetObjectVersionForReplication', 's3:GetObjectVersionTagging', 's3:GetObjectVersionTorrent',
  ],
  's3:GetBucket*': [
    's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketLocation', 's3:GetBucketLogging', 's3:GetBucketNotification',
    's3:GetBucketObjectLockConfiguration', 's3:GetBucketOwnershipControls', 's3:GetBucketPolicy', 's3:GetBucketPolicyStatus',
    's3:GetBucketPublicAccessBlock', 's3:GetBucketRequestPayment', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetBucketWebsite',
  ],
  's3:List*': ['s3:ListBucket', 's3:ListBucketMultipartUploads', 's3:ListBucketVersions', 's3:ListMultipartUploadParts'],
  's3:PutObject*': [
    's3:PutObject', 's3:PutObjectAcl', 's3:PutObjectLegalHold', 's3:PutObjectRetention', 's3:PutObjectTagging',
    's3:PutObjectVersionAcl', 's3:PutObjectVersionTagging',
  ],
  's3:Abort*': ['s3:AbortMultipartUpload'],
  's3:DeleteObject*': ['s3:DeleteObject', 's3:DeleteObjectTagging', 's3:DeleteObjectVersion', 's3:DeleteObjectVersionTagging'],
  'kms:GenerateDataKey*': ['kms:GenerateDataKey', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext', 'kms:GenerateDataKeyWithoutPlaintext'],
  'kms:ReEncrypt*': ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],
});
