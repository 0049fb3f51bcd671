import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagPack, NagRuleCompliance, rules, ServerlessChecks } from 'cdk-nag';
import { deriveRuleGates, ruleGatesSource } from '../../projenrc/rule-gates';
import { SecureFunction } from '../../src';
import { GatedHipaaSecurityChecks, GatedServerlessChecks, installedCdkNagVersion, RuleGates } from '../../src/compliance/private/rule-gates';
import { RULE_GATES_CDK_NAG_VERSION } from '../../src/compliance/private/rule-gates.generated';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';

/** A cdk-nag package directory holding one rule file with `body` as its rule, for the derivation. */
function fakeCdkNag(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-cdk-nag-'));
  fs.mkdirSync(path.join(dir, 'lib', 'rules', 'sqs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '9.9.9' }));
  fs.writeFileSync(path.join(dir, 'lib', 'rules', 'sqs', 'Probe.js'), [
    '"use strict";',
    'const aws_cdk_lib_1 = require("aws-cdk-lib");',
    'const aws_sqs_1 = require("aws-cdk-lib/aws-sqs");',
    'const aws_sns_1 = require("aws-cdk-lib/aws-sns");',
    'const nag_rules_1 = require("../../nag-rules");',
    `exports.default = Object.defineProperty((node) => {\n${body}\n}, 'name', { value: 'Probe' });`,
  ].join('\n'));
  return dir;
}

const gatesOf = (body: string) => deriveRuleGates(fakeCdkNag(body)).gates['sqs/Probe'];
const NA = 'return nag_rules_1.NagRuleCompliance.NOT_APPLICABLE;';

describe('rule gates: each cdk-nag rule evaluated only on the resource types it can report on', () => {
  test('the committed table is the one the installed cdk-nag\'s sources prove (after upgrading cdk-nag, run `npx projen rules:gates`)', () => {
    expect(RULE_GATES_CDK_NAG_VERSION).toBe(installedCdkNagVersion());
    const committed = fs.readFileSync(path.join(__dirname, '../../src/compliance/private/rule-gates.generated.ts'), 'utf8');
    const derived = deriveRuleGates();
    expect(committed).toBe(ruleGatesSource(derived));
    // Every rule of 3.0.2 is provably gated; the two EKS rules also on the custom resource aws-cdk-lib's EKS cluster uses.
    expect(Object.keys(derived.gates)).toHaveLength(215);
    expect(derived.ungated).toEqual([]);
    expect(derived.gates['eks/EKSClusterControlPlaneLogs']).toEqual(['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster']);
    expect(derived.gates['sqs/SQSQueueDLQ']).toEqual(['AWS::SQS::Queue']);
    expect(derived.gates['apigw/APIGWStructuredLogging']).toEqual([
      'AWS::ApiGateway::Deployment', 'AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage', 'AWS::Serverless::Api', 'AWS::Serverless::HttpApi',
    ]);
  });

  test.each([
    ['if (node instanceof X) { … } else return NOT_APPLICABLE', `if (node instanceof aws_sqs_1.CfnQueue) { return 1; } else { ${NA} }`, ['AWS::SQS::Queue']],
    ['an else-if chain, then NOT_APPLICABLE after it', `if (node instanceof aws_sqs_1.CfnQueue) { return 1; }\nelse if (node instanceof aws_sns_1.CfnTopic) { return 2; }\n${NA}`,
      ['AWS::SNS::Topic', 'AWS::SQS::Queue']],
    ['a disjunction', `if (node instanceof aws_sqs_1.CfnQueue || (node instanceof aws_sns_1.CfnTopic)) { return 1; }\n${NA}`, ['AWS::SNS::Topic', 'AWS::SQS::Queue']],
    ['if (!(node instanceof X)) return NOT_APPLICABLE', `if (!(node instanceof aws_sqs_1.CfnQueue)) { ${NA} }\nreturn 1;`, ['AWS::SQS::Queue']],
    ['the resource type compared to a string', `if (node instanceof aws_sqs_1.CfnQueue) { return 1; }\nelse if (node.cfnResourceType === 'Custom::X') { return 2; }\n${NA}`,
      ['AWS::SQS::Queue', 'Custom::X']],
  ])('proves a gate: %s', (_shape, body, types) => {
    expect(gatesOf(body)).toEqual(types);
  });

  test.each([
    ['a helper runs first', `const x = check(node);\nif (node instanceof aws_sqs_1.CfnQueue) { return x; }\n${NA}`],
    ['non-instances fall off the end (undefined, not NOT_APPLICABLE)', 'if (node instanceof aws_sqs_1.CfnQueue) { return 1; }'],
    ['the else branch reports', 'if (node instanceof aws_sqs_1.CfnQueue) { return 1; } else { return nag_rules_1.NagRuleCompliance.NON_COMPLIANT; }'],
    ['the resource type is compared otherwise than equal to a string', `if (node instanceof aws_sqs_1.CfnQueue) { return 1; }\nelse if (node.cfnResourceType.startsWith('Custom::')) { return 2; }\n${NA}`],
    ['the resource type is compared to a variable', `if (node.cfnResourceType === someType) { return 1; }\n${NA}`],
    ['a condition besides instanceof', `if (node instanceof aws_sqs_1.CfnQueue && node.fifoQueue) { return 1; }\n${NA}`],
    ['a class that is not an L1', `if (node instanceof aws_sqs_1.Queue) { return 1; }\n${NA}`],
    ['a class of no module', `if (node instanceof Thing.CfnQueue) { return 1; }\n${NA}`],
    ['a negated gate whose branch does not return NOT_APPLICABLE', 'if (!(node instanceof aws_sqs_1.CfnQueue)) { return 1; }\nreturn 2;'],
  ])('leaves a rule ungated (it always runs) when %s', (_shape, body) => {
    expect(gatesOf(body)).toBeUndefined();
  });

  test('a gated rule is not called on other resource types: far fewer calls, and none of a service the app does not use', () => {
    const app = new App();
    const stack = new Stack(app, 'Small', { env: TEST_ENV });
    new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler' });
    new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    const called = (pack: NagPack) => {
      const rulesCalled: string[] = [];
      const spy = jest.spyOn(NagPack.prototype as any, 'applyRule').mockImplementation(function (this: NagPack, ...args: unknown[]) {
        rulesCalled.push((args[0] as { rule: { name: string } }).rule.name);
      });
      try {
        pack.validateScope(app);
        return rulesCalled;
      } finally {
        spy.mockRestore();
      }
    };
    const stock = called(new ServerlessChecks());
    const gated = called(new GatedServerlessChecks());
    expect(gated.length).toBeLessThan(stock.length / 4);
    expect(stock).toContain(rules.lambda.LambdaDLQ.name);
    expect(gated).toContain(rules.lambda.LambdaDLQ.name);
    // Every resource gets the ungated rules; no resource of the fixture is an EKS cluster or a QuickSight data source.
    expect(called(new GatedHipaaSecurityChecks())).not.toContain('QuicksightSSLConnections');
  });

  test('LambdaLatestVersion (AwsSolutions-L1, Serverless-LambdaLatestVersion) runs faster and decides as cdk-nag\'s own, also as Runtime.ALL grows', () => {
    const stack = new Stack(new App(), 'Runtimes');
    const gates = new RuleGates(RULE_GATES_CDK_NAG_VERSION);
    const decide = (rule: (node: any) => unknown, node: unknown) => {
      try {
        return rule(node);
      } catch (e) {
        return `throws: ${(e as Error).message}`;
      }
    };
    const compare = (runtimes: Array<string | undefined>) => {
      for (const [i, runtime] of runtimes.entries()) {
        const fn = new lambda.CfnFunction(stack, `Fn${stack.node.children.length}-${i}`, { role: 'arn:aws:iam::123456789012:role/r', code: {}, runtime });
        const params = { rule: rules.lambda.LambdaLatestVersion, node: fn, info: '', explanation: '', level: NagMessageLevel.ERROR };
        const prepared = gates.prepare(params)!;
        expect(prepared.rule).not.toBe(rules.lambda.LambdaLatestVersion);
        expect(prepared.rule.name).toBe(rules.lambda.LambdaLatestVersion.name);
        expect({ runtime, decision: decide(prepared.rule, fn) }).toEqual({ runtime, decision: decide(rules.lambda.LambdaLatestVersion, fn) });
      }
    };
    const every = [...new Set(lambda.Runtime.ALL.map((r) => r.name))];
    compare([...every, undefined, 'Weird', 'nodejs', 'cobol85', 'provided.al2023']);
    // A runtime aws-cdk-lib learns later (Runtime.ALL grows) is then the newest of its family, for both.
    new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS);
    compare(['nodejs24.x', 'nodejs99.x']);
    expect(decide(rules.lambda.LambdaLatestVersion, stack.node.findAll().find((c) => (c as any).runtime === 'nodejs99.x'))).toBe(NagRuleCompliance.COMPLIANT);
    // Another version: cdk-nag's own rule.
    const node = new lambda.CfnFunction(stack, 'Other', { role: 'r', code: {}, runtime: 'nodejs24.x' });
    expect(new RuleGates('2.37.0').prepare({ rule: rules.lambda.LambdaLatestVersion, node, info: '', explanation: '', level: NagMessageLevel.ERROR })!.rule)
      .toBe(rules.lambda.LambdaLatestVersion);
  });

  test('with a cdk-nag version the gates were not proven for, every rule runs', () => {
    const queue = new sqs.CfnQueue(new Stack(new App(), 'S'), 'Q');
    const params = { rule: rules.sns.SNSEncryptedKMS, node: queue, info: '', explanation: '', level: NagMessageLevel.ERROR };
    expect(new RuleGates(RULE_GATES_CDK_NAG_VERSION).skips(params)).toBe(true);
    expect(new RuleGates('2.37.0').skips(params)).toBe(false);
    expect(new RuleGates('').skips(params)).toBe(false);
    // A rule gated on the node's type is never skipped.
    expect(new RuleGates(RULE_GATES_CDK_NAG_VERSION).skips({ ...params, rule: rules.sqs.SQSQueueDLQ })).toBe(false);
    expect(rules.sqs.SQSQueueDLQ(queue)).not.toBe(NagRuleCompliance.NOT_APPLICABLE);
  });
});
