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
 * What each wildcard action of aws-cdk-lib's grants becomes: the actions the
 * grant is for, as SecureBucket grants them, and KMS's data-key and re-encrypt
 * calls by name.
 *
 * @internal
 */
export const EXACT_ACTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  's3:GetObject*': OBJECT_READ_ACTIONS,
  's3:GetBucket*': ['s3:GetBucketLocation'],
  's3:List*': ['s3:ListBucket'],
  's3:PutObject*': OBJECT_PUT_ACTIONS.filter((a) => a !== 's3:AbortMultipartUpload'),
  's3:Abort*': ['s3:AbortMultipartUpload'],
  's3:DeleteObject*': OBJECT_DELETE_ACTIONS,
  'kms:GenerateDataKey*': ['kms:GenerateDataKey'],
  'kms:ReEncrypt*': ['kms:ReEncryptFrom', 'kms:ReEncryptTo'],
});
