import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, rules } from 'cdk-nag';
import { Node } from 'constructs';
import { SecurityProfile } from '../../src';
import { IndexedAwsSolutionsChecks, installedCdkNagVersion, TESTED_CDK_NAG_VERSIONS } from '../../src/compliance/private/indexed-aws-solutions';
import { everyConstruct } from '../fixtures/every-construct';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';

/**
 * Queues in every relation AwsSolutions-SQS3 and SQS4 look at: a dead-letter
 * queue of a queue (by reference and by name), of a function, in a nested
 * stack; queues without one; queue policies that do and do not deny
 * insecure transport, that name several queues, and that are malformed (the
 * rule throws); names with regular-expression characters.
 */
function queueZoo(stack: Stack): void {
  const dlq = new sqs.Queue(stack, 'Dlq');
  new sqs.Queue(stack, 'WithDlq', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 }, enforceSSL: true });
  new sqs.Queue(stack, 'NamedDlq', { queueName: 'named-dlq' });
  new sqs.CfnQueue(stack, 'RedrivesByName', {
    redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:named-dlq', maxReceiveCount: 3 },
  });
  new sqs.Queue(stack, 'NamedLikeAPrefix', { queueName: 'named' });
  new sqs.Queue(stack, 'Fifo', { queueName: 'orders.fifo', fifo: true });
  const fnDlq = new sqs.Queue(stack, 'FunctionDlq', { enforceSSL: true });
  new lambda.Function(stack, 'Fn', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, deadLetterQueue: fnDlq });
  const lonely = new sqs.Queue(stack, 'Lonely');
  const shared = new sqs.CfnQueue(stack, 'SharedPolicyA');
  const sharedB = new sqs.CfnQueue(stack, 'SharedPolicyB');
  new sqs.CfnQueuePolicy(stack, 'DeniesInsecure', {
    queues: [shared.ref, sharedB.attrQueueUrl],
    policyDocument: {
      Statement: [
        { Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Resource: '*' },
        { Effect: 'Deny', Action: ['sqs:ReceiveMessage', 'SQS:*'], Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'] }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
    },
  });
  const narrow = new sqs.CfnQueue(stack, 'NarrowDeny');
  new sqs.CfnQueuePolicy(stack, 'DeniesOnlyOneAccount', {
    queues: [narrow.ref],
    policyDocument: { Statement: [{ Effect: 'Deny', Action: '*', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Condition: { Bool: { 'aws:SecureTransport': false } } }] },
  });
  new sqs.CfnQueuePolicy(stack, 'ByUrl', {
    queues: ['https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo'],
    policyDocument: { Statement: [{ Effect: 'Deny', Action: 'sqs:*', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] },
  });
  const malformed = new sqs.CfnQueue(stack, 'MalformedPolicy');
  new sqs.CfnQueuePolicy(stack, 'NoStatements', { queues: [malformed.ref], policyDocument: {} });
  lonely.addToResourcePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], principals: [new iam.AccountRootPrincipal()], resources: [lonely.queueArn] }));

  const nested = new NestedStack(stack, 'Nested');
  const nestedDlq = new sqs.Queue(nested, 'NestedDlq');
  new lambda.Function(nested, 'NestedFn', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X, deadLetterQueue: nestedDlq });
  new sqs.Queue(nested, 'NestedLonely');
}

function apps(): Array<[string, App]> {
  const zoo = new App();
  queueZoo(new Stack(zoo, 'Zoo', { env: TEST_ENV }));
  const fixtures = [SecurityProfile.BASELINE, SecurityProfile.REGULATED].map((profile): [string, App] => {
    const app = new App();
    everyConstruct(new Stack(app, 'Every', { env: TEST_ENV }), profile);
    return [`every construct (${profile})`, app];
  });
  return [['queue zoo', zoo], ...fixtures];
}

describe('AwsSolutions with indexed SQS3 and SQS4', () => {
  const cases = apps();

  test('the installed cdk-nag is a version the replacements were proven against (upgrading cdk-nag re-runs this proof)', () => {
    expect(TESTED_CDK_NAG_VERSIONS).toContain(installedCdkNagVersion());
  });

  test.each(cases.flatMap(([name, app]) => [true, false].map((verbose): [string, boolean, App] => [name, verbose, app])))(
    'reports exactly what cdk-nag reports: %s (verbose: %s)',
    (_name, verbose, app) => {
      const ours = new IndexedAwsSolutionsChecks(undefined, { verbose }).validateScope(app);
      const theirs = new AwsSolutionsChecks(undefined, { verbose }).validateScope(app);
      expect(ours).toEqual(theirs);
    },
  );

  test('the queue zoo exercises both outcomes and the error path of both rules', () => {
    const [, zoo] = cases[0];
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(zoo);
    const flagged = (rule: string) => report.violations.find((v) => v.ruleName === `AwsSolutions-${rule}`)?.violatingResources.map((r) => r.constructPath ?? '') ?? [];
    // Not a dead-letter queue of anything, and no dead-letter queue: flagged; the dead-letter queues of a queue, a name and a function: not.
    expect(flagged('SQS3')).toEqual(expect.arrayContaining(['Zoo/Lonely/Resource', 'Zoo/NamedLikeAPrefix/Resource', 'Zoo/Nested/NestedLonely/Resource']));
    expect(flagged('SQS3').filter((p) => /Dlq/.test(p))).toEqual([]);
    // Only the policies that deny every queue action without TLS to everyone count; a malformed one makes the rule throw.
    expect(flagged('SQS4')).toEqual(expect.arrayContaining(['Zoo/Lonely/Resource', 'Zoo/NarrowDeny', 'Zoo/MalformedPolicy']));
    expect(flagged('SQS4')).not.toEqual(expect.arrayContaining(['Zoo/SharedPolicyA']));
    expect(flagged('SQS4')).not.toEqual(expect.arrayContaining(['Zoo/SharedPolicyB']));
    expect(flagged('SQS4')).not.toEqual(expect.arrayContaining(['Zoo/Fifo/Resource']));
    // The malformed policy is flagged because the rule throws on it (cdk-nag reports a throwing rule as a finding).
    const malformed = Node.of(zoo).findAll().find((c) => c.node.path === 'Zoo/MalformedPolicy') as sqs.CfnQueue;
    expect(() => rules.sqs.SQSQueueSSLRequestsOnly(malformed)).toThrow(/is not iterable/);
  });

  test('walks each stack once, not once per queue', () => {
    const [, app] = cases[1];
    const walks = (pack: AwsSolutionsChecks) => {
      const spy = jest.spyOn(Node.prototype, 'findAll');
      try {
        pack.validateScope(app);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const queues = Node.of(app).findAll().filter((c) => c instanceof sqs.CfnQueue).length;
    expect(queues).toBeGreaterThan(5);
    // cdk-nag: SQS3 and SQS4 each walk the stack for every queue.
    expect(walks(new AwsSolutionsChecks())).toBeGreaterThanOrEqual(2 * queues);
    // Indexed: one walk for the stack; the rest are cdk-nag's other rules, none of which runs per queue here.
    expect(walks(new IndexedAwsSolutionsChecks())).toBeLessThan(queues);
  });
});
