import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { SecureFunction, SecureTable, SecureTableProps, SecurityProfile, Toggle } from '../../src';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

const PK = { name: 'id', type: dynamodb.AttributeType.STRING };
const id = (stack: Stack, c: any) => stack.getLogicalId((c.node.defaultChild ?? c) as any);

describe('SecureTable zero findings', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('on-demand and provisioned tables with a reader have zero findings under %s', (profile) => {
    const { app, stack } = enforcedStack(profile);
    const vpc = profile === SecurityProfile.REGULATED ? compliantVpc(stack) : undefined;
    const fn = new SecureFunction(stack, 'Reader', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: vpc ? 2 : undefined });
    new SecureTable(stack, 'Orders', { partitionKey: PK }).grantReadWriteData(fn);
    new SecureTable(stack, 'Prices', {
      partitionKey: PK,
      billingMode: dynamodb.BillingMode.PROVISIONED,
      readCapacity: 5,
      writeCapacity: 5,
      maxReadCapacity: 50,
      maxWriteCapacity: 20,
    });
    expect(findingLines(synthesize(app).findings)).toEqual([]);
  });
});

describe('SecureTable defaults', () => {
  test('on-demand, encrypted with the stack key, point-in-time recovery, deletion protection, kept on removal', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Orders', { partitionKey: PK });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::KMS::Key'))[0], 'Arn'] } },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  });

  test('provisioned capacity auto-scales from the given floor to the given ceiling', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Prices', { partitionKey: PK, billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 2, maxReadCapacity: 50, maxWriteCapacity: 20 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'dynamodb:table:ReadCapacityUnits', MinCapacity: 5, MaxCapacity: 50 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ScalableDimension: 'dynamodb:table:WriteCapacityUnits', MinCapacity: 2, MaxCapacity: 20 });
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 70 }) }, 2);
  });

  test('deletion protection off, with a reason, is recorded on the table', () => {
    const { stack } = plainStack();
    new SecureTable(stack, 'Scratch', { partitionKey: PK, deletionProtection: Toggle.off({ reason: 'per-developer sandbox table' }), removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', { Properties: { DeletionProtectionEnabled: false }, DeletionPolicy: 'Delete' });
    Annotations.fromStack(stack).hasWarning('/TestStack/Scratch', Match.stringLikeRegexp('deletionProtection is off \\(per-developer sandbox table\\)'));
  });
});

describe('SecureTable grants', () => {
  test('data grants are exact actions on the table, with KMS through DynamoDB only', () => {
    const { stack } = plainStack();
    const reader = new SecureFunction(stack, 'Reader', { code: CODE, handler: 'index.handler' });
    const writer = new SecureFunction(stack, 'Writer', { code: CODE, handler: 'index.handler' });
    const table = new SecureTable(stack, 'Orders', { partitionKey: PK });
    table.grantReadData(reader);
    table.grantWriteData(writer);
    const statements = iamStatements(Template.fromStack(stack));
    const of = (prefix: string) => statements.filter(({ owner, statement }) => owner.startsWith(prefix) && JSON.stringify(statement).includes('dynamodb'));
    const tableArn = [{ 'Fn::GetAtt': [id(stack, table), 'Arn'] }];
    const viaDynamo = { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }, 'kms:CallerAccount': { Ref: 'AWS::AccountId' } } };
    expect(of('Reader').map(({ statement }) => [statement.Action, statement.Resource, statement.Condition])).toEqual([
      [['dynamodb:BatchGetItem', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'], tableArn, undefined],
      [['kms:Decrypt', 'kms:DescribeKey'], expect.anything(), viaDynamo],
    ]);
    expect(of('Writer').map(({ statement }) => [statement.Action, statement.Resource, statement.Condition])).toEqual([
      [['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable'], tableArn, undefined],
      [['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'], expect.anything(), viaDynamo],
    ]);
  });

  test('fails when grantFullAccess would grant dynamodb:*', () => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    expect(() => new SecureTable(stack, 'Orders', { partitionKey: PK }).grantFullAccess(fn)).toThrow(/`grantFullAccess` would grant `dynamodb:\*`; use `grantReadWriteData\(grantee\)`/);
  });
});

describe('SecureTable under REGULATED', () => {
  test('joins the stack backup plan: an encrypted vault, daily backups kept 35 days, a role scoped to the tables', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    const orders = new SecureTable(stack, 'Orders', { partitionKey: PK });
    const prices = new SecureTable(stack, 'Prices', { partitionKey: PK });
    app.synth();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Backup::BackupPlan', 1);
    template.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 35 }, ScheduleExpression: 'cron(0 3 * * ? *)' })] },
    });
    for (const table of [orders, prices]) {
      template.hasResourceProperties('AWS::Backup::BackupSelection', { BackupSelection: Match.objectLike({ Resources: [{ 'Fn::GetAtt': [id(stack, table), 'Arn'] }] }) });
    }
    const role: any = Object.values(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] } } }))[0];
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const backupActions = iamStatements(template).filter(({ owner }) => owner.startsWith('AegisBackupPlanRole')).flatMap(({ statement }) => asArray(statement.Action));
    expect(backupActions.filter((a) => String(a).includes('*'))).toEqual([]);
  });
});

describe('SecureTable validation', () => {
  test.each([
    ['capacity is given to an on-demand table', { readCapacity: 5 }, /`readCapacity` applies to PROVISIONED tables only/],
    ['a provisioned table has no ceilings', { billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 5 }, /`maxReadCapacity` is required with PROVISIONED billing/],
    ['a ceiling is under its floor', { billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 5, writeCapacity: 5, maxReadCapacity: 4, maxWriteCapacity: 5 }, /`maxReadCapacity` \(4\) must be at least `readCapacity` \(5\)/],
    ['a capacity is not a whole number', { billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 0.5, writeCapacity: 5, maxReadCapacity: 5, maxWriteCapacity: 5 }, /`readCapacity` must be a whole number of at least 1, got: 0.5/],
    ['the deletion-protection opt-out reason is short', { deletionProtection: Toggle.off({ reason: 'dev' }) }, /`deletionProtection` opt-out needs a reason of at least 10 characters, got: "dev"/],
  ])('fails when %s', (_name, props, message) => {
    const { stack } = plainStack();
    expect(() => new SecureTable(stack, 'Orders', { partitionKey: PK, ...props } as SecureTableProps)).toThrow(message);
  });
});

describe('SecureTable logical ids', () => {
  test('are locked', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    new SecureTable(stack, 'Orders', { partitionKey: PK });
    const ids = Object.entries<any>(Template.fromStack(stack).toJSON().Resources).map(([k, r]) => `${r.Type} ${k}`).sort();
    expect(ids).toEqual([
      'AWS::Backup::BackupPlan AegisBackupPlanF41096F3',
      'AWS::Backup::BackupSelection AegisBackupPlanTableTestStackOrders311A041041895F22',
      'AWS::Backup::BackupVault AegisBackupPlanVault23744A30',
      'AWS::CloudWatch::Alarm AegisMonitoringDeadLetterQueues3E5F127C',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleFailedInvocations4822AE6D',
      'AWS::DynamoDB::Table OrdersA9B65338',
      'AWS::Events::Rule AegisMonitoringSecurityChangesKeys20149CA0',
      'AWS::IAM::ManagedPolicy AegisBackupPlanRolePolicy59B6EB49',
      'AWS::IAM::Role AegisBackupPlanRole4EBB1BBE',
      'AWS::KMS::Key AegisEncryptionKey96B6F9C4',
      'AWS::SNS::Topic AegisMonitoringAlarmTopicC0CA175A',
      'AWS::SNS::TopicPolicy AegisMonitoringAlarmTopicPolicyE86CD31F',
      'AWS::SQS::Queue AegisMonitoringSecurityChangesDeadLetterQueue4C66609C',
      'AWS::SQS::QueuePolicy AegisMonitoringSecurityChangesDeadLetterQueuePolicy9083D67A',
    ]);
  });
});
