import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagMessageLevel, NagPack, NagRuleCompliance, rules, ServerlessChecks } from 'cdk-nag';
import { deriveRuleGates, ruleGatesSource } from '../../projenrc/rule-gates';
import { SecureFunction } from '../../src';
import { IndexedAwsSolutionsChecks, REPLACED_SQS_RULE_SOURCES } from '../../src/compliance/private/indexed-aws-solutions';
import {
  GatedHipaaSecurityChecks, GatedServerlessChecks, installedCdkNagVersion, LAMBDA_LATEST_VERSION_SOURCE, RuleGates, ruleSource,
} from '../../src/compliance/private/rule-gates';
import { RULE_GATES_CDK_NAG_VERSION } from '../../src/compliance/private/rule-gates.generated';
import { TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';

/** A cdk-nag package directory holding one rule file whose rule is `(node) => { body }` (or the whole `definition`), for the derivation. */
function fakeCdkNag(body: string, definition = `exports.default = Object.defineProperty((node) => {\n${body}\n}, 'name', { value: 'Probe' });`): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-cdk-nag-'));
  fs.mkdirSync(path.join(dir, 'lib', 'rules', 'sqs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version: '9.9.9' }));
  fs.writeFileSync(path.join(dir, 'lib', 'rules', 'sqs', 'Probe.js'), [
    '"use strict";',
    'const aws_cdk_lib_1 = require("aws-cdk-lib");',
    'const aws_sqs_1 = require("aws-cdk-lib/aws-sqs");',
    'const aws_sns_1 = require("aws-cdk-lib/aws-sns");',
    'const nag_rules_1 = require("../../nag-rules");',
    definition,
  ].join('\n'));
  return dir;
}

const gatesOf = (body: string, definition?: string) => deriveRuleGates(fakeCdkNag(body, definition)).gates['sqs/Probe']?.types;
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
    expect(derived.gates['eks/EKSClusterControlPlaneLogs'].types).toEqual(['AWS::EKS::Cluster', 'Custom::AWSCDK-EKS-Cluster']);
    expect(derived.gates['sqs/SQSQueueDLQ']).toEqual({ types: ['AWS::SQS::Queue'], source: ruleSource(rules.sqs.SQSQueueDLQ) });
    // The source hashed from the file is the one the running rule function has (`Function.prototype.toString()`).
    const namespaces = rules as unknown as Record<string, Record<string, (node: unknown) => unknown>>;
    const unexported: string[] = [];
    for (const [key, gate] of Object.entries(derived.gates)) {
      const [service, name] = key.split('/');
      const rule = namespaces[service]?.[name];
      if (rule === undefined) {
        unexported.push(key);
      } else {
        expect({ key, source: ruleSource(rule as any) }).toEqual({ key, source: gate.source });
      }
    }
    // Two rule files of 3.0.2 are in no pack and not exported: their entries are never used.
    expect(unexported).toEqual(['lambda/LambdaLogLevel', 'lambda/LambdaLogging']);
    expect(derived.gates['apigw/APIGWStructuredLogging'].types).toEqual([
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
    ['a loose comparison to a string', `if (node.cfnResourceType == 'Custom::X') { return 1; }\n${NA}`, ['Custom::X']],
  ])('proves a gate: %s', (_shape, body, types) => {
    expect(gatesOf(body)).toEqual(types);
  });

  test('proves a gate of a rule declared as a function (cdk-nag\'s other form)', () => {
    const definition = `exports.default = Probe;\nfunction Probe(node) {\nif (node instanceof aws_sqs_1.CfnQueue) { return 1; }\n${NA}\n}`;
    expect(gatesOf('', definition)).toEqual(['AWS::SQS::Queue']);
    // Declared twice, or exports.default assigned twice: the last one would run, so neither is analysed.
    expect(gatesOf('', `${definition}\nfunction Probe(node) { return 1; }`)).toBeUndefined();
    expect(gatesOf('', `${definition}\nexports.default = (node) => 1;`)).toBeUndefined();
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
    ['a negated gate with an else', `if (!(node instanceof aws_sqs_1.CfnQueue)) { ${NA} } else { return 1; }`],
    ['the type is compared with !==', `if (node.cfnResourceType !== 'Custom::X') { return 1; }\n${NA}`],
    ['another name than the parameter is tested', `if (other instanceof aws_sqs_1.CfnQueue) { return 1; }\n${NA}`],
    ['the else branch falls into a statement that reports', 'if (node instanceof aws_sqs_1.CfnQueue) { return 1; } else { }\nreturn 2;'],
    ['a var in the rule shadows the module (hoisted: instanceof would throw for every node)',
      `if (node instanceof aws_sqs_1.CfnQueue) { var aws_sqs_1 = 0; return 1; }\n${NA}`],
    ['the module is assigned', `aws_sqs_1 = {};\nif (node instanceof aws_sqs_1.CfnQueue) { return 1; }\n${NA}`],
    ['the parameter is reassigned', `if (node instanceof aws_sqs_1.CfnQueue) { node = 1; return 1; }\n${NA}`],
    ['NOT_APPLICABLE comes from elsewhere', 'if (node instanceof aws_sqs_1.CfnQueue) { return 1; }\nreturn other.NagRuleCompliance.NOT_APPLICABLE;'],
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
    // No resource of the app is a QuickSight data source: cdk-nag calls its rule anyway (loading the QuickSight module), the gated pack not.
    expect(called(new AwsSolutionsChecks())).toContain(rules.quicksight.QuicksightSSLConnections.name);
    expect(called(new IndexedAwsSolutionsChecks())).not.toContain(rules.quicksight.QuicksightSSLConnections.name);
    expect(called(new GatedHipaaSecurityChecks()).length).toBeLessThan(called(new HIPAASecurityChecks()).length / 4);
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
    // The copy repeats this exact source of cdk-nag's rule: another source (an upgrade, a patch) runs cdk-nag's own until reviewed.
    expect(ruleSource(rules.lambda.LambdaLatestVersion)).toBe(LAMBDA_LATEST_VERSION_SOURCE);
    const every = [...new Set(lambda.Runtime.ALL.map((r) => r.name))];
    compare([...every, undefined, 'Weird', 'nodejs', 'cobol85', 'provided.al2023', Fn.importValue('TeamRuntime'), Lazy.string({ produce: () => 'nodejs22.x' })]);
    // A runtime aws-cdk-lib learns later (Runtime.ALL grows) is then the newest of its family, for both.
    new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS);
    compare(['nodejs24.x', 'nodejs99.x']);
    expect(decide(rules.lambda.LambdaLatestVersion, stack.node.findAll().find((c) => (c as any).runtime === 'nodejs99.x'))).toBe(NagRuleCompliance.COMPLIANT);
    // The copy is chosen by the rule's source, not by the version: with another version the gates are off, the copy still applies.
    const node = new lambda.CfnFunction(stack, 'Other', { role: 'r', code: {}, runtime: 'nodejs24.x' });
    const prepared = new RuleGates('2.37.0').prepare({ rule: rules.lambda.LambdaLatestVersion, node, info: '', explanation: '', level: NagMessageLevel.ERROR });
    expect(prepared!.rule.name).toBe('LambdaLatestVersion');
    expect(prepared!.rule).not.toBe(rules.lambda.LambdaLatestVersion);
    // Any other rule function passes through unchanged.
    expect(new RuleGates().prepare({ rule: rules.lambda.LambdaDLQ, node, info: '', explanation: '', level: NagMessageLevel.ERROR })!.rule).toBe(rules.lambda.LambdaDLQ);
  });

  test('the SQS3 and SQS4 replacements repeat exactly the installed sources of cdk-nag\'s rules (review them after an upgrade)', () => {
    const installed = { deadLetterQueue: ruleSource(rules.sqs.SQSQueueDLQ), tlsOnly: ruleSource(rules.sqs.SQSQueueSSLRequestsOnly) };
    expect(installed).toEqual(REPLACED_SQS_RULE_SOURCES);
    // A rule of another source (the same name and version, patched in place) is told apart.
    const patched = Object.defineProperty(
      (node: unknown) => (node ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE), 'name', { value: 'SQSQueueDLQ' });
    expect(ruleSource(patched)).not.toBe(REPLACED_SQS_RULE_SOURCES.deadLetterQueue);
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
