import { App, CfnResource, NestedStack, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NagRuleCompliance, NIST80053R5Checks, PCIDSS321Checks, rules, ServerlessChecks } from 'cdk-nag';
import { Node } from 'constructs';
import { SecurityProfile } from '../../src';
import { endsAWordRun, IndexedAwsSolutionsChecks, TESTED_CDK_NAG_VERSIONS } from '../../src/compliance/private/indexed-aws-solutions';
import {
  GatedHipaaSecurityChecks, GatedNist80053R5Checks, GatedPciDss321Checks, GatedServerlessChecks, installedCdkNagVersion,
} from '../../src/compliance/private/rule-gates';
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

/** Plain L2 resources of services cdk-aegis does not wrap, some with findings, so rules of many services report and many do not. */
function serviceZoo(stack: Stack): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const open = new ec2.SecurityGroup(stack, 'Open', { vpc });
  open.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
  new rds.DatabaseInstance(stack, 'Db', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  new s3.Bucket(stack, 'Bucket');
  new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new kinesis.Stream(stack, 'Stream');
  new sns.Topic(stack, 'Topic');
  new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x' } });
}

/**
 * Every decision of `pack` over `app` other than NOT_APPLICABLE, `rule @ path: outcome`, whether or not an
 * acknowledgement then hides it (cdk-nag's own `applyRule`, where acknowledgements are read, is bypassed).
 */
function decisions(pack: NagPack, app: App): string[] {
  const found: string[] = [];
  const spy = jest.spyOn(NagPack.prototype as any, 'applyRule').mockImplementation(function (this: NagPack, ...args: unknown[]) {
    const params = args[0] as { rule: (node: CfnResource) => unknown; node: CfnResource; ruleSuffixOverride?: string };
    let outcome: unknown;
    try {
      outcome = params.rule(params.node);
    } catch (e) {
      outcome = `throws ${(e as Error).message}`;
    }
    if (outcome !== NagRuleCompliance.NOT_APPLICABLE) {
      found.push(`${params.ruleSuffixOverride ?? params.rule.name} @ ${params.node.node.path}: ${JSON.stringify(outcome)}`);
    }
  });
  try {
    pack.validateScope(app);
  } finally {
    spy.mockRestore();
  }
  return found.sort();
}

function apps(): Array<[string, App]> {
  const zoo = new App();
  queueZoo(new Stack(zoo, 'Zoo', { env: TEST_ENV }));
  const services = new App();
  serviceZoo(new Stack(services, 'Services', { env: TEST_ENV }));
  const fixtures = [SecurityProfile.BASELINE, SecurityProfile.REGULATED].map((profile): [string, App] => {
    const app = new App();
    everyConstruct(new Stack(app, 'Every', { env: TEST_ENV }), profile);
    return [`every construct (${profile})`, app];
  });
  return [['queue zoo', zoo], ['service zoo', services], ...fixtures];
}

describe('the packs enforce() registers (AwsSolutions with indexed SQS3 and SQS4; every pack with rule gates) decide as cdk-nag\'s own', () => {
  const cases = apps();

  test('the installed cdk-nag is a version the replacements were proven against (upgrading cdk-nag re-runs this proof)', () => {
    expect(TESTED_CDK_NAG_VERSIONS).toContain(installedCdkNagVersion());
  });

  // The messages differ with `verbose` only in cdk-nag's own text: every pack in verbose, AwsSolutions (whose SQS rules are replaced) in both.
  test.each(cases.flatMap(([name, app]) => [true, false].map((verbose): [string, boolean, App] => [name, verbose, app])))(
    'every gated pack reports exactly what cdk-nag\'s own reports: %s (verbose: %s)',
    (_name, verbose, app) => {
      const pairs: Array<[NagPack, NagPack]> = [
        [new IndexedAwsSolutionsChecks(undefined, { verbose }), new AwsSolutionsChecks(undefined, { verbose })],
        ...(verbose ? [
          [new GatedServerlessChecks(undefined, { verbose }), new ServerlessChecks(undefined, { verbose })],
          [new GatedHipaaSecurityChecks(undefined, { verbose }), new HIPAASecurityChecks(undefined, { verbose })],
          [new GatedNist80053R5Checks(undefined, { verbose }), new NIST80053R5Checks(undefined, { verbose })],
          [new GatedPciDss321Checks(undefined, { verbose }), new PCIDSS321Checks(undefined, { verbose })],
        ] as Array<[NagPack, NagPack]> : []),
      ];
      for (const [ours, theirs] of pairs) {
        expect({ pack: ours.readPackName, ...ours.validateScope(app) }).toEqual({ pack: theirs.readPackName, ...theirs.validateScope(app) });
      }
    },
  );

  test.each(cases)('every gated pack reaches the decisions cdk-nag\'s own reaches, acknowledged findings included: %s', (_name, app) => {
    const packs: Array<[NagPack, NagPack]> = [
      [new IndexedAwsSolutionsChecks(), new AwsSolutionsChecks()],
      [new GatedServerlessChecks(), new ServerlessChecks()],
      [new GatedHipaaSecurityChecks(), new HIPAASecurityChecks()],
      [new GatedNist80053R5Checks(), new NIST80053R5Checks()],
      [new GatedPciDss321Checks(), new PCIDSS321Checks()],
    ];
    let findings = 0;
    for (const [ours, theirs] of packs) {
      const expected = decisions(theirs, app);
      expect(decisions(ours, app)).toEqual(expected);
      findings += expected.filter((d) => !d.endsWith(`: ${JSON.stringify(NagRuleCompliance.COMPLIANT)}`)).length;
    }
    // The fixtures make the packs find something (acknowledged or not): equal empty lists would prove nothing.
    expect(findings).toBeGreaterThan(10);
  });

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

  test('SQS3\'s match of a plain logical id is cdk-nag\'s regular expression (`<id>(?![\\w])`) on every string', () => {
    // Every string of up to 4 pieces over the pieces that decide it: word characters, separators, partial and repeated ids.
    const pieces = ['Q', 'Queue', 'Q1', '1', '_', '.', '"', 'ueue'];
    const texts: string[] = [''];
    for (let length = 1, last = ['']; length <= 4; length++) {
      last = last.flatMap((prefix) => pieces.map((piece) => prefix + piece));
      texts.push(...last);
    }
    let matched = 0;
    for (const id of ['Queue', 'Q1', 'Q', 'Fn1DeadLetterQueue3B61C385']) {
      for (const text of [...texts, ...texts.map((t) => t.replace(/Queue/g, 'Fn1DeadLetterQueue3B61C385'))]) {
        const expected = new RegExp(`${id}(?![\\w])`).test(text);
        if (endsAWordRun(text, id) !== expected) {
          throw new Error(`endsAWordRun(${JSON.stringify(text)}, ${id}) is not ${expected}`);
        }
        matched += expected ? 1 : 0;
      }
    }
    // Both answers are well represented (4,681 texts, twice, per id).
    expect(texts).toHaveLength(4681);
    expect(matched).toBeGreaterThan(5000);
    expect(matched).toBeLessThan(4 * 2 * 4681 - 5000);
  });

  test('walks each stack once, not once per queue', () => {
    const [, app] = cases.find(([name]) => name.startsWith('every construct'))!;
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
