import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { StackKey } from '../../src';
import { grantKeyUseViaService } from '../../src/core/encryption';
import { plainStack } from '../helpers/stacks';

/** The statement of the stack key's policy with `sid`. */
function statementWithSid(stack: Stack, sid: string): any {
  const key: any = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0];
  return key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === sid);
}

/**
 * Whether an IAM condition block matches a request, the way IAM evaluates it:
 * every operator and every key must match (AND); a key missing from the
 * request matches only under an `...IfExists` operator.
 */
function conditionMatches(condition: Record<string, Record<string, string>>, request: Record<string, string | undefined>): boolean {
  return Object.entries(condition).every(([operator, entries]) => Object.entries(entries).every(([key, value]) => {
    const actual = request[key];
    if (actual === undefined) {
      return operator.endsWith('IfExists');
    }
    expect(operator.replace(/IfExists$/, '')).toBe('Bool');
    return actual === value;
  }));
}

describe('the stack key allows grants only for AWS resources', () => {
  test('GIVEN the stack key THEN its policy denies kms:CreateGrant to everyone unless the grant is for an AWS resource or an AWS service asks', () => {
    // GIVEN
    const { stack } = plainStack();
    // WHEN
    StackKey.of(stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'DenyGrantsExceptForAwsResources',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: {
            BoolIfExists: { 'kms:GrantIsForAWSResource': 'false' },
            Bool: { 'aws:PrincipalIsAWSService': 'false' },
          },
        }]),
      },
    });
  });

  test.each([
    // [grant for an AWS resource, caller is an AWS service, denied]
    ['false', 'false', true],
    [undefined, 'false', true],
    ['true', 'false', false],
    ['false', 'true', false],
    [undefined, 'true', false],
    ['true', 'true', false],
  ])('GIVEN kms:GrantIsForAWSResource %s and aws:PrincipalIsAWSService %s THEN CreateGrant denied: %s', (forResource, byService, denied) => {
    // GIVEN
    const { stack } = plainStack();
    StackKey.of(stack);
    // WHEN
    const deny = statementWithSid(stack, 'DenyGrantsExceptForAwsResources');
    // THEN: both false (or the grant flag absent, as in a direct call) is the only combination denied.
    expect(conditionMatches(deny.Condition, { 'kms:GrantIsForAWSResource': forResource, 'aws:PrincipalIsAWSService': byService })).toBe(denied);
  });
});

describe('grantKeyUseViaService', () => {
  test('GIVEN an AWS service principal as grantee THEN the key policy lets that service in for its resources of this account, without a warning', () => {
    // GIVEN
    const { stack } = plainStack();
    const key = StackKey.of(stack);
    // WHEN
    grantKeyUseViaService(key, new iam.ServicePrincipal('events.amazonaws.com'), 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': Match.anyValue() },
          },
        })]),
      },
    });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('could not be granted'));
  });

  test('GIVEN a principal of another account THEN a warning says to allow it in the key policy', () => {
    // GIVEN
    const { stack } = plainStack();
    const key = StackKey.of(stack);
    // WHEN
    grantKeyUseViaService(key, new iam.AccountPrincipal('111122223333'), 'sqs', ['kms:Decrypt']);
    // THEN
    Annotations.fromStack(stack).hasWarning('/TestStack/AegisEncryptionKey', Match.stringLikeRegexp('kms:Decrypt through sqs could not be granted'));
  });
});
