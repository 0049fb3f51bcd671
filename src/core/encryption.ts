import { Annotations, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { stackSingleton } from './stack-singleton';

/** Construct id of the per-stack key, a child of the stack. Public contract: do not rename. */
export const STACK_KEY_ID = 'AegisEncryptionKey';

/** Data-plane actions a service needs to encrypt and decrypt with the key (no wildcards). */
export const KMS_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey'];

/**
 * The customer-managed KMS key cdk-aegis constructs of a stack share.
 *
 * One key per stack, created on first use, with automatic rotation. Its key
 * policy keeps the account-root statement AWS recommends (so IAM policies can
 * grant use) and lets CloudWatch Logs use the key only for log groups of this
 * account and region. Services such as SQS, SNS and Lambda use it through the
 * IAM grants cdk-aegis writes, each restricted with `kms:ViaService` to that
 * service and `kms:CallerAccount` to this account.
 */
export class StackKey {
  /**
   * The stack's shared key, created on first call.
   *
   * @param scope any construct in the stack
   */
  public static of(scope: IConstruct): kms.IKey {
    return stackSingleton(scope, STACK_KEY_ID, "cdk-aegis's shared encryption key", (c) => c instanceof kms.Key, createStackKey);
  }

  private constructor() {}
}

function createStackKey(stack: Stack): kms.Key {
  const key = new kms.Key(stack, STACK_KEY_ID, {
    description: `cdk-aegis: encryption key shared by the secure constructs of stack ${stack.stackName}`,
    enableKeyRotation: true,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: KMS_USE_ACTIONS,
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }),
  );
  return key;
}

/**
 * Lets `grantee` use `key` for `actions` only through `service` (e.g. `sqs`)
 * and only from this account.
 *
 * Not part of the public API.
 */
export function grantKeyUseViaService(key: kms.IKey, grantee: iam.IGrantable, service: string, actions: string[]): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions,
    resourceArns: [key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com`,
        'kms:CallerAccount': Stack.of(key).account,
      },
    },
  });
  if (!grant.success) {
    Annotations.of(key).addWarningV2(
      '@cdk-aegis/key-grant',
      `${actions.join(', ')} through ${service} could not be granted to a principal without an identity policy of this app ` +
        `(e.g. another account); allow it in the policy of key ${key.node.path} yourself.`,
    );
  }
  return grant;
}

/**
 * Lets the AWS service `servicePrincipal` (e.g. `sns.amazonaws.com`) encrypt
 * with `key` on behalf of resources of this account and region only
 * (`aws:SourceAccount`, `aws:SourceArn`), e.g. SNS writing to a
 * KMS-encrypted dead-letter queue. The condition names no single resource:
 * the resource's ARN would make the key and the resource depend on each
 * other. An imported key's policy cannot be changed: a warning says what it
 * must allow.
 *
 * Not part of the public API.
 */
export function allowServiceToUseKey(key: kms.IKey, servicePrincipal: string): void {
  const service = servicePrincipal.split('.')[0];
  const stack = Stack.of(key);
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(servicePrincipal)],
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:${service}:${stack.region}:${stack.account}:*` },
    },
  });
  if (!key.addToResourcePolicy(statement, true).statementAdded) {
    Annotations.of(key).addWarningV2(
      `@cdk-aegis/key-policy:${service}`,
      `the policy of imported key ${key.node.path} must let ${servicePrincipal} use kms:GenerateDataKey and kms:Decrypt for this account; cdk-aegis cannot add it.`,
    );
  }
}
