import { App, Duration, PropertyInjectors, Stack, StackProps } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  Compliance,
  EdgeOrigin,
  SecureBucket,
  SecureDistribution,
  SecureEdgeFunction,
  SecureEdgeFunctionProps,
  SecureDefaults,
  SecurityProfile,
} from '../../src';
import { assemblyStacks } from '../../src/core/private/cloud-assembly';
import { buildThreatModel } from '../../src/threat-model/private/model';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

const US_EAST_1 = { account: '123456789012', region: 'us-east-1' };
const VIEWER_RESPONSE = cloudfront.LambdaEdgeEventType.VIEWER_RESPONSE;
const ORIGIN_REQUEST = cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST;
/** The first block of the stack's id, which ends every edge function's name. */
const STACK_ID_BLOCK = { 'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }] };

function edgeFunction(props: Partial<SecureEdgeFunctionProps> = {}, stackProps: StackProps = { env: US_EAST_1 }) {
  const app = new App();
  const stack = new Stack(app, 'TestStack', stackProps);
  const fn = new SecureEdgeFunction(stack, 'Headers', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE, ...props } as SecureEdgeFunctionProps);
  return { app, stack, fn, template: Template.fromStack(stack) };
}

describe('SecureEdgeFunction defaults (viewer response, us-east-1)', () => {
  let template: Template;
  let fn: SecureEdgeFunction;
  beforeAll(() => ({ template, fn } = edgeFunction()));

  test('x86_64, 128 MB and 5 s (CloudFront\'s viewer limits), an explicit name, no environment, VPC, layers, tracing or dead-letter queue', () => {
    const [props] = Object.values<any>(template.findResources('AWS::Lambda::Function')).map((r) => r.Properties);
    // The name ends with the stack id's first block: new on each creation of the stack, so a log group kept from a deleted one never collides.
    expect(props).toMatchObject({ Architectures: ['x86_64'], MemorySize: 128, Timeout: 5, FunctionName: { 'Fn::Join': ['', [expect.stringMatching(/^TestStack-Headers-[0-9A-F]{8}-$/), STACK_ID_BLOCK]] } });
    for (const absent of ['Environment', 'VpcConfig', 'Layers', 'TracingConfig', 'DeadLetterConfig', 'LoggingConfig']) {
      expect(props[absent]).toBeUndefined();
    }
  });

  test('a numbered version for CloudFront', () => {
    template.resourceCountIs('AWS::Lambda::Version', 1);
    const [versionId] = Object.keys(template.findResources('AWS::Lambda::Version'));
    expect(Stack.of(fn).resolve(fn.currentVersion.functionArn)).toEqual({ Ref: versionId });
    expect(fn._edgeLambda()).toEqual({ functionVersion: fn.currentVersion, eventType: VIEWER_RESPONSE, includeBody: undefined });
  });

  test('the role trusts Lambda and Lambda@Edge, and may write only the function\'s edge log groups, in any region', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'edgelambda.amazonaws.com' } },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    });
    const [role] = Object.values<any>(template.findResources('AWS::IAM::Role'));
    const statements = role.Properties.Policies[0].PolicyDocument.Statement;
    const prefix = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.FunctionName['Fn::Join'][1][0];
    const arn = (suffix: string[]) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:*:', { Ref: 'AWS::AccountId' }, `:log-group:/aws/lambda/us-east-1.${prefix}`, STACK_ID_BLOCK, ...suffix]] });
    expect(statements).toEqual([{
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Effect: 'Allow',
      Resource: [arn([]), arn([':*'])],
    }]);
  });

  test('its us-east-1 log group is encrypted with the stack key, retained and created before the function', () => {
    const prefix = Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].Properties.FunctionName['Fn::Join'][1][0];
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: { 'Fn::Join': ['', [`/aws/lambda/us-east-1.${prefix}`, STACK_ID_BLOCK]] }, RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AegisEncryptionKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(Object.values<any>(template.findResources('AWS::Lambda::Function'))[0].DependsOn).toContain(logGroupId);
  });

  test('logical ids are locked', () => {
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toEqual([expect.stringMatching(/^HeadersFunction[0-9A-F]{8}$/)]);
    expect(Object.keys(template.findResources('AWS::IAM::Role'))).toEqual([expect.stringMatching(/^HeadersServiceRole[0-9A-F]{8}$/)]);
  });
});

// Zero findings under both profiles, with an entry-bundled function on a distribution: test/edge/secure-distribution.test.ts
// (one app for the distribution and the function).


describe('SecureEdgeFunction where the stack is', () => {
  test('env-agnostic: a template rule refuses regions other than us-east-1', () => {
    const { template } = edgeFunction({}, {});
    const rule = Object.entries<any>(template.toJSON().Rules).find(([id]) => id.startsWith('HeadersInEdgeRegion'))![1];
    expect(rule.Assertions).toEqual([{ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, AssertDescription: expect.stringContaining('Lambda@Edge') }]);
  });

  test('fails in a stack bound to another region, saying where it must go', () => {
    expect(() => edgeFunction({}, { env: { account: '123456789012', region: 'eu-west-1' } }))
      .toThrow(/Lambda@Edge functions are created in us-east-1, but this stack is in eu-west-1: put the SecureEdgeFunction in a us-east-1 stack/);
  });
});

describe('SecureEdgeFunction limits and refusals', () => {
  test('origin events: up to 30 s and more memory; 10 s by default', () => {
    const { template } = edgeFunction({ eventType: ORIGIN_REQUEST, memorySize: 1024 });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024, Timeout: 10 });
    const longer = edgeFunction({ eventType: ORIGIN_REQUEST, timeout: Duration.seconds(30) });
    longer.template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 30 });
  });

  test.each<[string, Partial<SecureEdgeFunctionProps> | Record<string, unknown>, RegExp]>([
    ['more than 128 MB on a viewer event', { memorySize: 256 }, /`memorySize` must be a whole number of MB from 128 to 128 \(CloudFront's limit for viewer events\), got: 256/],
    ['more than 5 s on a viewer event', { timeout: Duration.seconds(6) }, /`timeout` must be 1 to 5 seconds \(CloudFront's limit for viewer events\), got: 6 seconds/],
    ['more than 30 s on an origin event', { eventType: ORIGIN_REQUEST, timeout: Duration.seconds(31) }, /`timeout` must be 1 to 30 seconds/],
    ['a body on a response event', { includeBody: true }, /`includeBody` applies to request events only/],
    ['a Java runtime', { runtime: lambda.Runtime.JAVA_21 }, /`runtime` must be a Node.js or Python runtime/],
    ['environment variables', { environment: { STAGE: 'prod' } }, /`environment`: Lambda@Edge does not run environment variables/],
    ['a VPC', { vpc: {} }, /`vpc`: Lambda@Edge does not run a VPC; AWS would refuse the function at deploy/],
    ['layers', { layers: [] }, /`layers`: Lambda@Edge does not run layers/],
    ['a dead-letter queue', { deadLetterQueue: {} }, /`deadLetterQueue`: Lambda@Edge does not run dead-letter queues/],
    ['tracing', { tracing: {} }, /`tracing`: Lambda@Edge does not run X-Ray tracing/],
    ['arm64', { architecture: lambda.Architecture.ARM_64 }, /`architecture`: Lambda@Edge does not run the arm64 architecture/],
    ['no event type', { eventType: undefined }, /`eventType` must be a member of `cloudfront.LambdaEdgeEventType` .*got: undefined/],
    ['an event type by name', { eventType: 'VIEWER_REQUEST' }, /`eventType` must be a member of `cloudfront.LambdaEdgeEventType`/],
    ['neither code nor entry', { code: undefined, handler: undefined }, /pass `code` .* or `entry`/],
  ])('fails on %s', (_name, props, message) => {
    expect(() => edgeFunction(props as Partial<SecureEdgeFunctionProps>)).toThrow(message);
  });

  test('fails under REGULATED without reserved concurrency', () => {
    const app = newApp();
    Compliance.of(app).enforce({ profile: SecurityProfile.REGULATED });
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    expect(() => new SecureEdgeFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE }))
      .toThrow(/REGULATED profile requires `reservedConcurrentExecutions`/);
  });

  test('a distribution refuses two functions for one event type on a behaviour, and anything that is not a SecureEdgeFunction', () => {
    const stack = new Stack(new App(), 'TestStack', { env: US_EAST_1 });
    const fn = new SecureEdgeFunction(stack, 'Headers', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE });
    const other = new SecureEdgeFunction(stack, 'Other', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE });
    const site = new SecureBucket(stack, 'Site');
    expect(() => new SecureDistribution(stack, 'A', { defaultOrigin: EdgeOrigin.bucket(site), edgeFunctions: [fn, other] }))
      .toThrow(/`edgeFunctions` has more than one function for viewer-response/);
    const cdn = new SecureDistribution(stack, 'B', { defaultOrigin: EdgeOrigin.bucket(site) });
    expect(() => cdn.addBehavior('/x/*', EdgeOrigin.bucket(site), { edgeFunctions: [fn.function as unknown as SecureEdgeFunction] }))
      .toThrow(/`edgeFunctions\[0\]` must be a SecureEdgeFunction/);
    cdn.addBehavior('/y/*', EdgeOrigin.bucket(site), { edgeFunctions: [fn] });
    const config = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudFront::Distribution'))
      .map((d) => d.Properties.DistributionConfig).find((c) => c.CacheBehaviors !== undefined);
    expect(config.CacheBehaviors[0].LambdaFunctionAssociations).toEqual([{ EventType: 'viewer-response', LambdaFunctionARN: expect.anything() }]);
  });
});

describe('SecureEdgeFunction in the threat model', () => {
  test('the distribution runs the function: a flow named by the event type', () => {
    const app = newApp();
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    const fn = new SecureEdgeFunction(stack, 'Headers', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE });
    new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(new SecureBucket(stack, 'Site')), edgeFunctions: [fn] });
    app.synth();
    const model = buildThreatModel(assemblyStacks(app.outdir), app.outdir);
    const flows = [...model.graph.flows.values()].map((f) => `${f.from.label} → ${f.to.label}: ${[...f.labels].join('; ')}`);
    expect(flows).toContain('Cdn → Headers/Function: Lambda@Edge viewer-response');
  });
});

describe('SecureEdgeFunction and property injectors', () => {
  test('SecureDefaults (which hardens plain functions) leaves the edge function alone: no dead-letter queue, tracing, environment key or log config', () => {
    const app = newApp();
    SecureDefaults.of(app).apply();
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    new SecureEdgeFunction(stack, 'Headers', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE });
    const [props] = Object.values<any>(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((r) => r.Properties);
    for (const absent of ['DeadLetterConfig', 'TracingConfig', 'KmsKeyArn', 'LoggingConfig', 'Environment']) {
      expect(props[absent]).toBeUndefined();
    }
  });

  test('fails when a team\'s injector gives the edge function what Lambda@Edge refuses, naming the prop', () => {
    const app = new App();
    PropertyInjectors.of(app).add({
      constructUniqueId: lambda.Function.PROPERTY_INJECTION_ID,
      inject: (props: any) => ({ ...props, tracing: lambda.Tracing.ACTIVE }),
    });
    const stack = new Stack(app, 'Edge', { env: US_EAST_1 });
    expect(() => new SecureEdgeFunction(stack, 'Headers', { code: CODE, handler: 'index.handler', eventType: VIEWER_RESPONSE }))
      .toThrow(/a property injector for lambda.Function changed `tracing` .* which would weaken this SecureEdgeFunction: Lambda@Edge refuses it at deploy/);
  });
});
