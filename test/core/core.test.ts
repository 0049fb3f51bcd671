import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SecureFunction, StackKey, Toggle } from '../../src';
import { grantKeyUseViaService, KMS_USE_ACTIONS, STACK_KEY_ID } from '../../src/core/encryption';
import { AegisValidationError, ProblemCollector } from '../../src/core/errors';
import { acknowledge, AcknowledgementCause } from '../../src/core/justification';
import { CODE, plainStack } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

const asArray = (x: unknown): unknown[] => (Array.isArray(x) ? x : [x]);

/** The key policy statements of the only KMS key in `stack`. */
function keyPolicyStatements(stack: Stack): any[] {
  const keys = Object.values<any>(Template.fromStack(stack).findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

describe('StackKey', () => {
  test('GIVEN two constructs in one stack THEN they share one key; another stack gets its own', () => {
    const app = newApp();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    const a = new Construct(first, 'A');
    const b = new Construct(new Construct(first, 'B'), 'C');
    const key = StackKey.of(a);
    expect(StackKey.of(b)).toBe(key);
    expect(StackKey.of(first)).toBe(key);
    expect(key.node.path).toBe(`First/${STACK_KEY_ID}`);
    const other = StackKey.of(new Construct(second, 'D'));
    expect(other).not.toBe(key);
    expect(other.node.path).toBe(`Second/${STACK_KEY_ID}`);
    Template.fromStack(first).resourceCountIs('AWS::KMS::Key', 1);
    Template.fromStack(second).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('GIVEN the stack key THEN it rotates automatically and its logical id is stable', () => {
    const { stack } = plainStack();
    StackKey.of(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual(['AegisEncryptionKey96B6F9C4']);
  });

  test('GIVEN the stack key THEN CloudWatch Logs of this region may use it only for log groups of this account, with no wildcard action', () => {
    const { stack } = plainStack();
    StackKey.of(stack);
    const logsStatements = keyPolicyStatements(stack).filter((s) => JSON.stringify(s.Principal ?? {}).includes('logs.'));
    expect(logsStatements).toEqual([{
      Sid: 'AllowCloudWatchLogsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
      Action: KMS_USE_ACTIONS,
      Resource: '*',
      Condition: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':log-group:*']],
          },
        },
      },
    }]);
    expect(asArray(logsStatements[0].Action).filter((a) => String(a).includes('*'))).toEqual([]);
  });

  test('GIVEN a stack with an explicit environment THEN the log-group condition names that account and region', () => {
    const app = newApp();
    const stack = new Stack(app, 'Pinned', { env: { account: '123456789012', region: 'eu-west-1' } });
    StackKey.of(stack);
    const [statement] = keyPolicyStatements(stack).filter((s) => s.Sid === 'AllowCloudWatchLogsOfThisAccount');
    expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:*']],
    });
  });

  test('GIVEN the stack key THEN the key policy allows no principal beyond the account root and CloudWatch Logs', () => {
    const { stack } = plainStack();
    StackKey.of(stack);
    const principals = keyPolicyStatements(stack).filter((s) => s.Effect === 'Allow').map((s) => JSON.stringify(s.Principal));
    expect(principals).toHaveLength(2);
    expect(principals[0]).toContain(':root');
    expect(principals[1]).toContain('logs.');
  });
});

describe('ids reserved once per stack', () => {
  test('fails when a construct of another kind holds the stack key id', () => {
    const { stack } = plainStack();
    new Construct(stack, STACK_KEY_ID);
    expect(() => StackKey.of(stack)).toThrow(
      "[cdk-aegis] TestStack: the construct id `AegisEncryptionKey` is reserved for cdk-aegis's shared encryption key, but it holds a Construct. Rename that construct.",
    );
  });

  test('fails when a construct of another kind holds the shared X-Ray policy id', () => {
    const { stack } = plainStack();
    new Construct(stack, 'AegisXRayWriteAccess');
    expect(() => new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' })).toThrow(
      /the construct id `AegisXRayWriteAccess` is reserved for cdk-aegis's shared policy \(cdk-aegis: X-Ray write access for traced functions\), but it holds a Construct/,
    );
  });
});

describe('grantKeyUseViaService', () => {
  test('GIVEN a grantee THEN it may use the key only through that service and from this account', () => {
    const { stack } = plainStack();
    const key = StackKey.of(stack);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grantKeyUseViaService(key, role, 'sqs', ['kms:Decrypt']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'kms:Decrypt',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] },
          Condition: {
            StringEquals: {
              'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              'kms:CallerAccount': { Ref: 'AWS::AccountId' },
            },
          },
        }],
      },
    });
    // The grant is an IAM policy: the key policy does not name the role.
    expect(JSON.stringify(keyPolicyStatements(stack))).not.toContain(stack.getLogicalId(role.node.defaultChild as any));
  });
});

describe('Toggle', () => {
  test('GIVEN Toggle.on() THEN the control is enabled with no justification', () => {
    const toggle = Toggle.on();
    expect(toggle.enabled).toBe(true);
    expect(toggle.justification).toBeUndefined();
  });

  test('GIVEN Toggle.off({ reason }) THEN the control is disabled and keeps the reason', () => {
    const toggle = Toggle.off({ reason: 'traced by a third-party agent' });
    expect(toggle.enabled).toBe(false);
    expect(toggle.justification?.reason).toBe('traced by a third-party agent');
  });
});

describe('acknowledge', () => {
  test('GIVEN an acknowledgement the library makes by itself THEN no call stack is captured for it; a user\'s opt-out keeps its own', () => {
    const { stack } = plainStack();
    const limits: number[] = [];
    const spy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => {
      limits.push(Error.stackTraceLimit);
    });
    const before = Error.stackTraceLimit;
    try {
      acknowledge(stack, AcknowledgementCause.RULE_DEFECT, ['Serverless::Serverless-SQSRedrivePolicy'], 'a rule defect');
      acknowledge(stack, AcknowledgementCause.AWS_FORCED, ['AwsSolutions::AwsSolutions-IAM5[Resource::*]'], 'AWS allows nothing narrower');
      acknowledge(stack, AcknowledgementCause.USER_OPT_OUT, ['AwsSolutions::AwsSolutions-L1'], 'pinned by the team');
      spy.mockImplementation(() => {
        throw new Error('refused');
      });
      expect(() => acknowledge(stack, AcknowledgementCause.RULE_DEFECT, ['Aegis::Aegis-KMS1'], 'a rule defect')).toThrow('refused');
    } finally {
      spy.mockRestore();
    }
    expect(limits).toEqual([0, 0, before]);
    // Restored after each call, also when recording throws.
    expect(Error.stackTraceLimit).toBe(before);
    expect(before).toBeGreaterThan(0);
  });

  test('GIVEN a library acknowledgement THEN it is recorded as aws-cdk-lib records any', () => {
    const { stack } = plainStack();
    acknowledge(stack, AcknowledgementCause.RULE_DEFECT, ['Serverless::Serverless-SQSRedrivePolicy'], 'a rule defect');
    const entries = stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(entries.map((m) => m.data)).toEqual([{ 'Serverless::Serverless-SQSRedrivePolicy': 'cdk-aegis (rule defect): a rule defect' }]);
  });
});

describe('AegisValidationError', () => {
  test('GIVEN one problem THEN the message is one line naming the path', () => {
    const error = new AegisValidationError('App/Stack/Fn', ['`timeout` must be between 1 and 900 seconds, got: 0.']);
    expect(error.message).toBe('[cdk-aegis] App/Stack/Fn: `timeout` must be between 1 and 900 seconds, got: 0.');
    expect(error.problems).toEqual(['`timeout` must be between 1 and 900 seconds, got: 0.']);
    expect(error.constructPath).toBe('App/Stack/Fn');
  });

  test('GIVEN several problems THEN one message lists them all, one per line', () => {
    const error = new AegisValidationError('App/Stack/Fn', ['first problem.', 'second problem.', 'third problem.']);
    expect(error.message).toBe('[cdk-aegis] App/Stack/Fn: 3 problems:\n  - first problem.\n  - second problem.\n  - third problem.');
    expect(error.problems).toEqual(['first problem.', 'second problem.', 'third problem.']);
    expect(error.constructPath).toBe('App/Stack/Fn');
    expect(error.name).toBe('AegisValidationError');
    expect(error).toBeInstanceOf(AegisValidationError);
    expect(error).toBeInstanceOf(Error);
  });

  test('GIVEN a construct with several invalid props THEN it throws one AegisValidationError with every problem', () => {
    const { stack } = plainStack();
    let error: unknown;
    try {
      new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', timeout: Duration.seconds(0), memorySize: 1, tracing: Toggle.off({ reason: 'short' }) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AegisValidationError);
    const { problems, constructPath, message } = error as AegisValidationError;
    expect(constructPath).toBe('TestStack/Fn');
    expect(problems).toEqual([
      expect.stringMatching(/^`timeout`/),
      expect.stringMatching(/^`memorySize`/),
      expect.stringMatching(/^`tracing` opt-out/),
    ]);
    expect(message.split('\n')).toEqual([
      '[cdk-aegis] TestStack/Fn: 3 problems:',
      `  - ${problems[0]}`,
      `  - ${problems[1]}`,
      `  - ${problems[2]}`,
    ]);
  });

  test('GIVEN a ProblemCollector THEN it throws only when a problem was recorded, with the child path', () => {
    const { stack } = plainStack();
    const collector = new ProblemCollector(stack, 'Child');
    collector.require(true, 'never recorded');
    expect(() => collector.throwIfAny()).not.toThrow();
    collector.require(false, 'first problem.');
    collector.add('second problem.');
    expect(() => collector.throwIfAny()).toThrow('[cdk-aegis] TestStack/Child: 2 problems:\n  - first problem.\n  - second problem.');
  });
});
