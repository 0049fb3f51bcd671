import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { Compliance, SecretRotation, SecureFunction, SecureSecret, SecureSecretProps, SecurityProfile } from '../../src';
import { AegisValidationError } from '../../src/core/errors';
import { compliantVpc } from '../fixtures/compliant-vpc';
import { asArray, iamStatements } from '../helpers/iam';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

const VENDOR_REASON = 'issued by the vendor, rotated in their portal';

const logicalId = (stack: Stack, construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as any);

/** A secret rotated by a default SecureFunction, in a plain (not enforced) app. */
function rotated(interval?: Duration) {
  const { app, stack } = plainStack();
  const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
  const secret = new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn, interval) });
  return { app, stack, fn, secret };
}

/** Builds a SecureSecret in a plain stack with `props`. */
function secretWith(props: SecureSecretProps) {
  const { stack } = plainStack();
  return new SecureSecret(stack, 'Secret', props);
}

describe('SecureSecret defaults', () => {
  test('keeps the logical ids of a secret and its rotation stable', () => {
    const { stack } = rotated();
    const ids = Object.keys(Template.fromStack(stack).toJSON().Resources).filter((id) => id.startsWith('Db'));
    expect(ids.sort()).toEqual(['Db5D02A0A9', 'DbRotationInvokePermissionC71BAF4A', 'DbRotationSchedule58D48738']);
  });

  test('grantRead puts the secret and key permissions in the grantee policy, not the key policy', () => {
    const { stack } = plainStack();
    const secret = new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    secret.grantRead(role, ['AWSCURRENT']);
    const template = Template.fromStack(stack);
    const roleId = logicalId(stack, role);
    const statements = iamStatements(template).filter((s) => s.owner.startsWith('ReaderDefaultPolicy')).map((s) => s.statement);
    expect(statements).toEqual([
      {
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Condition: { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': ['AWSCURRENT'] } },
        Effect: 'Allow',
        Resource: { Ref: logicalId(stack, secret) },
      },
      expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: expect.objectContaining({ 'kms:CallerAccount': { Ref: 'AWS::AccountId' } }) } }),
    ]);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    expect(JSON.stringify(template.toJSON().Resources[keyId])).not.toContain(roleId);
  });

  test('GIVEN no key WHEN a secret is built THEN it is encrypted with the stack key and holds a generated 32-character password', () => {
    const { stack } = plainStack();
    new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const template = Template.fromStack(stack);
    const keyIds = Object.keys(template.findResources('AWS::KMS::Key'));
    expect(keyIds).toEqual([expect.stringMatching(/^AegisEncryptionKey/)]);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: { 'Fn::GetAtt': [keyIds[0], 'Arn'] },
      GenerateSecretString: { PasswordLength: 32 },
      SecretString: Match.absent(),
    });
  });

  test('GIVEN an `encryptionKey` WHEN a secret is built THEN it uses that key and no stack key is created', () => {
    const { stack } = plainStack();
    const key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    const secret = new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }), encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] } });
    expect(secret.encryptionKey).toBe(key);
  });

  test('GIVEN a description and a generator WHEN a secret is built THEN both are used', () => {
    const { stack } = plainStack();
    new SecureSecret(stack, 'Db', {
      rotation: SecretRotation.none({ reason: VENDOR_REASON }),
      description: 'database credentials',
      generateSecretString: { secretStringTemplate: '{"username":"app"}', generateStringKey: 'password', passwordLength: 40 },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: 'database credentials',
      GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password', PasswordLength: 40 },
    });
  });
});

describe('SecureSecret rotation off', () => {
  test('GIVEN SecretRotation.none THEN there is no rotation schedule', () => {
    const { stack } = plainStack();
    const secret = new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(secret.rotationSchedule).toBeUndefined();
  });

  test('GIVEN SecretRotation.none WHEN synthesized THEN the rotation rule is acknowledged on that secret only; a plain secret beside it still fails', () => {
    const { app, stack } = enforcedStack();
    new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    new secretsmanager.Secret(stack, 'Plain');
    const result = synthesize(app);
    const ours = result.acknowledged.filter((a) => a.rule === 'AwsSolutions-SMG4');
    expect(ours.map((a) => [a.paths, a.acknowledgedAt, a.acknowledgedId, a.reason])).toEqual([
      [['TestStack/Vendor/Resource'], 'TestStack/Vendor', 'AwsSolutions::AwsSolutions-SMG4', `cdk-aegis (opt-out): rotation off: ${VENDOR_REASON}`],
    ]);
    expect(result.findings.filter((f) => f.rule === 'AwsSolutions-SMG4').flatMap((f) => f.paths)).toEqual(['TestStack/Plain/Resource']);
    expect(result.error?.message).toMatch(/Acknowledge with 'AwsSolutions::AwsSolutions-SMG4'/);
  });

  test('GIVEN SecretRotation.none THEN the secret carries a warning with the stable id `@cdk-aegis/opt-out:rotation`', () => {
    const { stack } = plainStack();
    const secret = new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const warnings = secret.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^rotation is off \\(${VENDOR_REASON}\\); acknowledged rules: .*AwsSolutions-SMG4.* \\[ack: @cdk-aegis/opt-out:rotation\\]$`)),
    ]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Vendor', Match.stringLikeRegexp('@cdk-aegis/opt-out:rotation'));
  });

  test('GIVEN SecretRotation.none under REGULATED WHEN synthesized THEN the rotation rules of HIPAA and NIST are acknowledged too', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.acknowledged.filter((a) => a.paths.includes('TestStack/Vendor/Resource')).map((a) => a.acknowledgedId).sort()).toEqual([
      'AwsSolutions::AwsSolutions-SMG4',
      'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
      'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]);
  });
});

describe('SecureSecret rotation with a rotation function', () => {
  test('GIVEN SecretRotation.schedule(fn) THEN a rotation schedule runs the function every 30 days', () => {
    const { stack, fn, secret } = rotated();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: logicalId(stack, secret) },
      RotationLambdaARN: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    expect(secret.rotationSchedule).toBeDefined();
  });

  test.each([
    [Duration.days(1), 'rate(1 days)'],
    [Duration.days(7), 'rate(7 days)'],
    [Duration.hours(48), 'rate(2 days)'],
    [Duration.days(1000), 'rate(1000 days)'],
  ])('GIVEN an interval of %s THEN the schedule is %s', (interval, expression) => {
    const { stack } = rotated(interval);
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: expression },
    });
  });

  test('GIVEN SecretRotation.schedule(fn) THEN Secrets Manager may invoke the function for this secret and account only, before the schedule is created', () => {
    const { stack, fn, secret } = rotated();
    const template = Template.fromStack(stack);
    const permissions = template.findResources('AWS::Lambda::Permission');
    expect(Object.values<any>(permissions).map((p) => p.Properties)).toEqual([{
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      SourceArn: { Ref: logicalId(stack, secret) },
    }]);
    template.hasResource('AWS::SecretsManager::RotationSchedule', { DependsOn: [Object.keys(permissions)[0]] });
  });

  test('GIVEN SecretRotation.schedule(fn) THEN the function may read and update exactly this secret', () => {
    const { stack, fn, secret } = rotated();
    const template = Template.fromStack(stack);
    const roleId = logicalId(stack, fn.role!);
    const secretStatements = iamStatements(template).filter(({ statement }) =>
      asArray(statement.Action).some((a) => String(a).startsWith('secretsmanager:') && a !== 'secretsmanager:GetRandomPassword'));
    expect(secretStatements).toEqual([{
      owner: roleId,
      statement: {
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Effect: 'Allow',
        Resource: { Ref: logicalId(stack, secret) },
      },
    }]);
  });

  test('GIVEN SecretRotation.schedule(fn) THEN GetRandomPassword on * stands alone in its own policy and no other identity statement has a wildcard except X-Ray', () => {
    const { stack, fn } = rotated();
    const template = Template.fromStack(stack);
    const roleId = logicalId(stack, fn.role!);
    const [forcedId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [{ Ref: roleId }], Description: Match.stringLikeRegexp('no resource-level permissions') } }));
    const [xrayId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('X-Ray') } }));
    expect(forcedId).toMatch(/^RotatorServiceRoleAwsForcedWildcards/);
    expect(xrayId).toBeDefined();
    const wildcards = iamStatements(template).filter(({ statement }) =>
      [...asArray(statement.Action), ...asArray(statement.Resource)].some((v) => typeof v === 'string' && v.includes('*')));
    expect(wildcards).toEqual(expect.arrayContaining([
      { owner: forcedId, statement: { Action: 'secretsmanager:GetRandomPassword', Effect: 'Allow', Resource: '*' } },
      { owner: xrayId, statement: { Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Effect: 'Allow', Resource: '*' } },
    ]));
    expect(wildcards).toHaveLength(2);
    expect(template.toJSON().Resources[forcedId].Properties.PolicyDocument.Statement).toHaveLength(1);
  });

  test('GIVEN SecretRotation.schedule(fn) THEN the function may use the key through Secrets Manager only, and the key policy does not name its role', () => {
    const { stack, fn, secret } = rotated();
    const template = Template.fromStack(stack);
    const keyId = logicalId(stack, secret.encryptionKey!);
    expect(iamStatements(template).map((s) => s.statement)).toContainEqual({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Condition: {
        StringEquals: {
          'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
          'kms:CallerAccount': { Ref: 'AWS::AccountId' },
        },
      },
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    // No dependency cycle (key -> role -> function -> schedule -> secret -> key) and no growth per function.
    expect(JSON.stringify(template.toJSON().Resources[keyId])).not.toContain(logicalId(stack, fn.role!));
  });

  test('GIVEN SecretRotation.schedule(fn) under REGULATED THEN the function waits for its customer-managed policy, so the first rotation has its permissions', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler', vpc: compliantVpc(stack), reservedConcurrentExecutions: 2 });
    const secret = new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn) });
    const template = Template.fromStack(stack);
    const [policyId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['secretsmanager:PutSecretValue']) })]) } },
    }));
    expect(policyId).toMatch(/^RotatorServiceRolePolicy/);
    template.hasResource('AWS::Lambda::Function', { DependsOn: Match.arrayWith([policyId]) });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: logicalId(stack, secret) },
      RotationLambdaARN: { 'Fn::GetAtt': [logicalId(stack, fn), 'Arn'] },
    });
  });
});

describe('SecureSecret hosted rotation', () => {
  test('GIVEN SecretRotation.hosted THEN the rotation schedule uses a hosted rotation function with the secret key', () => {
    const { stack } = plainStack();
    const secret = new SecureSecret(stack, 'Db', { rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser()) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: logicalId(stack, secret) },
      HostedRotationLambda: Match.objectLike({
        RotationType: 'MySQLSingleUser',
        KmsKeyArn: { 'Fn::GetAtt': [logicalId(stack, secret.encryptionKey!), 'Arn'] },
      }),
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotationLambdaARN: Match.absent(),
    });
    expect(secret.rotationSchedule).toBeDefined();
  });

  test('GIVEN SecretRotation.hosted with an interval THEN the schedule uses it', () => {
    const { stack } = plainStack();
    new SecureSecret(stack, 'Db', { rotation: SecretRotation.hosted(secretsmanager.HostedRotation.postgreSqlSingleUser(), Duration.days(14)) });
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      HostedRotationLambda: Match.objectLike({ RotationType: 'PostgreSQLSingleUser' }),
      RotationRules: { ScheduleExpression: 'rate(14 days)' },
    });
  });
});

describe('SecureSecret compliance', () => {
  test('GIVEN a rotated secret and an opted-out secret under BASELINE WHEN synthesized THEN there are zero findings', () => {
    const { app, stack } = enforcedStack();
    const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
    new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn) });
    new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(Compliance.of(app).packNames).toEqual(['AwsSolutions', 'Serverless', 'Aegis']);
  });

  test('GIVEN a rotated secret and an opted-out secret under REGULATED WHEN synthesized THEN there are zero findings in all five packs', () => {
    const { app, stack } = enforcedStack(SecurityProfile.REGULATED);
    const vpc = compliantVpc(stack);
    const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler', vpc, reservedConcurrentExecutions: 2 });
    new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn) });
    new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: VENDOR_REASON }) });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(Compliance.of(app).packNames).toEqual(['AwsSolutions', 'Serverless', 'Aegis', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']);
  });
});

describe('SecureSecret validation', () => {
  test.each(['short', '         ', '  padded   '])('fails when the `rotation` opt-out reason is %p', (reason) => {
    expect(() => secretWith({ rotation: SecretRotation.none({ reason }) })).toThrow(
      `\`rotation\` opt-out needs a reason of at least 10 characters, got: ${JSON.stringify(reason)}.`,
    );
  });

  test('fails when the `rotation` opt-out has no reason', () => {
    expect(() => secretWith({ rotation: SecretRotation.none({} as any) })).toThrow(
      '`rotation` opt-out needs a reason of at least 10 characters, got: undefined.',
    );
  });

  test('accepts a `rotation` opt-out reason of exactly 10 characters', () => {
    expect(() => secretWith({ rotation: SecretRotation.none({ reason: '0123456789' }) })).not.toThrow();
  });

  test.each([
    ['0 days', Duration.days(0), 0],
    ['1001 days', Duration.days(1001), 1001],
    ['36 hours', Duration.hours(36), 1.5],
  ])('fails when the `rotation` interval is %s', (_label, interval, days) => {
    const { stack } = plainStack();
    const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
    expect(() => new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn, interval) })).toThrow(
      `\`rotation\` interval must be a whole number of days between 1 and 1000, got: ${days} days.`,
    );
  });

  test.each([Duration.days(0), Duration.days(1001), Duration.hours(36)])('fails when the hosted `rotation` interval is %s', (interval) => {
    expect(() => secretWith({ rotation: SecretRotation.hosted(secretsmanager.HostedRotation.mysqlSingleUser(), interval) })).toThrow(
      '`rotation` interval must be a whole number of days between 1 and 1000',
    );
  });

  test('fails when `rotation` is missing', () => {
    expect(() => secretWith({} as any)).toThrow('`rotation` is required');
  });

  test('fails with an AegisValidationError that names the construct path', () => {
    let error: unknown;
    try {
      secretWith({ rotation: SecretRotation.none({ reason: 'short' }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AegisValidationError);
    expect((error as AegisValidationError).constructPath).toBe('TestStack/Secret');
    expect((error as AegisValidationError).message).toMatch(/^\[cdk-aegis\] TestStack\/Secret: `rotation` opt-out/);
  });

  test('fails before creating anything in the stack', () => {
    const { stack } = plainStack();
    expect(() => new SecureSecret(stack, 'Secret', { rotation: SecretRotation.none({ reason: 'short' }) })).toThrow(AegisValidationError);
    expect(stack.node.tryFindChild('Secret')).toBeUndefined();
    expect(stack.node.tryFindChild('AegisEncryptionKey')).toBeUndefined();
  });
});
