import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { grantKeyUseViaService } from '../../core/encryption';

/** The ARN that matches `secret` in a policy, also for secrets imported by name (`-??????` suffix). */
export function secretArnForPolicies(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

/**
 * Read access to exactly `secret`: `secretsmanager:GetSecretValue` and
 * `secretsmanager:DescribeSecret` on its ARN (optionally only for
 * `versionStages`), and `kms:Decrypt` on its key through Secrets Manager only,
 * all in the grantee's own policy. The L2 `grantRead` writes the grantee into
 * the key policy instead, which grows with every reader and can make a
 * dependency cycle.
 *
 * @internal
 */
export function grantSecretRead(secret: secretsmanager.ISecret, grantee: iam.IGrantable, versionStages?: string[]): iam.Grant {
  const grant = iam.Grant.addToPrincipalOrResource({
    grantee,
    actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    resourceArns: [secretArnForPolicies(secret)],
    resource: secret,
    conditions: versionStages ? { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': versionStages } } : undefined,
  });
  if (secret.encryptionKey) {
    grantKeyUseViaService(secret.encryptionKey, grantee, 'secretsmanager', ['kms:Decrypt']);
  }
  return grant;
}
