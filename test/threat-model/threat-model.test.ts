import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { App, AppProps, NestedStack, Stack, Stage } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { buildApp } from '../../examples/app';
import { Compliance, SecureQueue, ThreatModel, Toggle } from '../../src';
import { runCli } from '../../src/compliance/reports/cli';
import { AssemblyStack, assemblyStacks, nestedStacks } from '../../src/core/private/cloud-assembly';
import { Flow } from '../../src/threat-model/private/graph';
import { buildThreatModel, ThreatModelData, uuidV5 } from '../../src/threat-model/private/model';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT, mermaidFlowchart } from '../../src/threat-model/private/render';
import { plainSeedScenario } from '../fixtures/plain-seed-scenario';
import { RECOMMENDED_FLAGS, TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { newApp } from '../helpers/synth';

/** Validates against the vendored Threat Composer v1 schema (draft 2020-12). */
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vendor', 'threat-composer', 'threat-composer-v1.schema.json'), 'utf8'));
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validate = ajv.compile(SCHEMA);
const schemaErrors = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const composer = (dir: string) => JSON.parse(read(dir, ThreatModel.COMPOSER_FILE));

/** A plain aws-cdk-lib app, as teams write it: no cdk-aegis construct, no enforce(). */
function plainApp(props: AppProps = {}, scope: (app: App) => App | Stage = (app) => app): App {
  const app = newApp(props);
  const where = scope(app);
  const data = new Stack(where, 'Data', { env: TEST_ENV });
  const customers = new dynamodb.Table(data, 'Customers', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const stack = new Stack(where, 'Compute', { env: TEST_ENV });
  plainSeedScenario(stack);
  const handler = new lambda.Function(stack, 'ApiHandler', {
    code: CODE,
    handler: 'index.handler',
    runtime: lambda.Runtime.NODEJS_20_X,
    environment: { DB_PASSWORD: 'correct-horse-battery-staple' },
  });
  customers.grantReadData(handler);
  new apigateway.LambdaRestApi(stack, 'Api', { handler });
  const jobs = new sqs.Queue(stack, 'Jobs');
  const events = new sns.Topic(stack, 'Events');
  events.addSubscription(new subscriptions.SqsSubscription(jobs));
  const worker = new lambda.Function(stack, 'Worker', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
  worker.addEventSource(new eventSources.SqsEventSource(jobs));
  // A permission for a service with no source: any SNS topic in any account can invoke it.
  worker.addPermission('AnyTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });
  app.synth();
  return app;
}

/** `from → to: labels` lines of a model's flows, by construct label, sorted. */
const flowLines = (model: ThreatModelData) => [...model.graph.flows.values()].map((f) => `${f.from.label} → ${f.to.label}: ${[...f.labels].join('; ')}`).sort();
const findFlow = (model: ThreatModelData, from: string, to: string): Flow | undefined =>
  [...model.graph.flows.values()].find((f) => f.from.label === from && f.to.label === to);
const threatOn = (model: ThreatModelData, key: string, where: string) =>
  model.threats.find((t) => t.spec.key === key && t.targetName.startsWith(where));

/** The model of an assembly whose templates `mutate` changed first (a control removed by hand). */
function modelWith(dir: string, mutate: (stacks: AssemblyStack[]) => void): ThreatModelData {
  const stacks = JSON.parse(JSON.stringify(assemblyStacks(dir))) as AssemblyStack[];
  mutate(stacks);
  return buildThreatModel(stacks, dir);
}

/** Ids of the threats whose status differs between two models (threats present in both). */
function flipped(before: ThreatModelData, after: ThreatModelData): string[] {
  const status = new Map(before.threats.map((t) => [t.id, t.resolved]));
  return after.threats.filter((t) => status.has(t.id) && status.get(t.id) !== t.resolved).map((t) => `${t.spec.key} @ ${t.targetName}`).sort();
}

describe('threat model of the example app (written by enforce() at synth)', () => {
  let dir: string;
  let model: ThreatModelData;
  beforeAll(() => {
    const app = buildApp({ outdir: newApp().outdir });
    app.synth();
    dir = app.outdir;
    model = buildThreatModel(assemblyStacks(dir), dir);
  });

  test('enforce() wrote both files into the assembly, and the .tc.json is valid Threat Composer v1', () => {
    const doc = composer(dir);
    expect(schemaErrors(doc)).toEqual([]);
    expect(doc.schema).toBe(1);
    expect(doc.threats).toHaveLength(model.threats.length);
    expect(doc.mitigationLinks.length).toBeGreaterThan(doc.threats.length);
    // The validator is not a rubber stamp.
    expect(schemaErrors({ ...doc, threats: [{ ...doc.threats[0], status: 'threatMaybe' }] })).not.toEqual([]);
    expect(schemaErrors({ ...doc, threats: [{ ...doc.threats[0], metadata: [{ key: 'STRIDE', value: ['D', 'X'] }] }] })).not.toEqual([]);
    expect(read(dir, ThreatModel.MARKDOWN_FILE)).toMatch(/^# Threat model: OrdersService, ImagePipeline, Storefront\n/);
  });

  test('the data-flow diagram has the true flows: internet → API → functions → stores, uploads → rule → processor, secrets and logs', () => {
    const lines = flowLines(model);
    expect(lines).toEqual(expect.arrayContaining([
      'Internet clients → Api: HTTPS',
      'Api → CreateOrder: POST /orders; lambda:InvokeFunction',
      'Api → GetOrder: GET /orders/{id}; lambda:InvokeFunction',
      'Api → Health: GET /health; lambda:InvokeFunction',
      'CreateOrder → Orders: dynamodb:BatchWriteItem, DeleteItem, PutItem, UpdateItem',
      'PaymentApiKey → CreateOrder: secretsmanager:DescribeSecret, GetSecretValue',
      'Uploads → Uploads/OnObjectCreatedImagePipelineProcessor8594739558E188CF: S3 Object Created',
      'Uploads/OnObjectCreatedImagePipelineProcessor8594739558E188CF → Processor: lambda:InvokeFunction; event',
      'Uploads → Processor: s3:GetObject',
      'Processor → Metadata: dynamodb:BatchWriteItem, DeleteItem, PutItem, UpdateItem',
      'CreateOrder → CreateOrder/LogGroup: logs; logs:CreateLogStream, PutLogEvents',
      'cloudwatch → AegisMonitoring/AlarmTopic: sns:Publish',
    ]));
    // Reads point from the store to the function, writes the other way; nothing invented.
    expect(lines.filter((l) => l.startsWith('GetOrder → Orders'))).toEqual([]);
    expect(lines).toContain('Orders → GetOrder: dynamodb:BatchGetItem, ConditionCheckItem, DescribeTable, GetItem, GetRecords, GetShardIterator, Query, Scan');
    expect(lines.filter((l) => / Health|Health /.test(l) && /Orders|PaymentApiKey/.test(l))).toEqual([]);
    // The diagram draws them, inside one subgraph per boundary and per stack.
    const mermaid = read(dir, ThreatModel.MARKDOWN_FILE);
    expect(mermaid).toContain('```mermaid\nflowchart LR\n  subgraph b_internet["Internet"]');
    expect(mermaid).toContain('subgraph b_awsaccount["AWS account"]');
    expect(mermaid).toMatch(/subgraph n_[0-9a-f]{8}\["stack OrdersService"\]/);
    expect(mermaid).toMatch(/n_[0-9a-f]{8} -->\|"POST \/orders; lambda:InvokeFunction"\| n_[0-9a-f]{8}/);
    expect(mermaid).toMatch(/n_[0-9a-f]{8}>"Api\/WebAcl"\]\n/);
    expect(mermaid).toMatch(/n_[0-9a-f]{8} -\.->\|"guards"\| n_[0-9a-f]{8}/);
  });

  test('all six STRIDE letters and Dependencies appear, Dependencies as a tag and custom metadata (the schema has no D for it)', () => {
    const doc = composer(dir);
    const letters = new Set(doc.threats.flatMap((t: any) => t.metadata.filter((m: any) => m.key === 'STRIDE').flatMap((m: any) => m.value)));
    expect([...letters].sort()).toEqual(['D', 'E', 'I', 'R', 'S', 'T']);
    const dependencies = doc.threats.filter((t: any) => t.tags.includes('STRIDE-D: Dependencies'));
    expect(dependencies.length).toBeGreaterThan(0);
    for (const t of dependencies) {
      expect(t.metadata).toContainEqual({ key: 'custom:strideD', value: 'Dependencies' });
      expect(t.metadata.find((m: any) => m.key === 'STRIDE')).toBeUndefined();
    }
  });

  test('mitigations are evidenced by the configuration: resolved ones name the property, open ones say what to add', () => {
    const waf = threatOn(model, 'request-flood', 'Api (REST API)')!;
    expect(waf.resolved).toBe(true);
    expect(waf.mitigations.map((m) => m.evidence.text)).toEqual([
      'stage prod: 100 requests/s, burst 200',
      'web ACL Api/WebAcl, rule RateLimitPerIp: block above 1000 requests per 300 s per IP',
    ]);
    expect(threatOn(model, 'access-beyond-flow', 'Uploads/OnObjectCreated')!.mitigations[0].evidence).toEqual({ resolved: true, text: 'reads only /incoming/*.jpg, what its events carry' });
    expect(threatOn(model, 'secrets-in-environment', 'CreateOrder')!.resolved).toBe(true);
    expect(threatOn(model, 'unencrypted-data', 'AegisAccessLogsBucket')!.mitigations[0].evidence.text).toMatch(/^SSE-S3: server access logs of \d+ bucket\(s\) land here/);
    // The example bundles its TypeScript entries: each function's SBOM is where the threat model looks for it.
    const sbom = threatOn(model, 'unknown-bundle', 'CreateOrder')!;
    expect(sbom.resolved).toBe(true);
    expect(sbom.mitigations[0].evidence.text).toBe('`sbom/OrdersService.CreateOrder.cdx.json` (CycloneDX)');
    // The user's opt-outs and their reasons are on the threats they leave open.
    const open = composer(dir).threats.find((t: any) => t.id === threatOn(model, 'unauthenticated-api', 'Api (REST API)')!.id);
    expect(open.status).toBe('threatIdentified');
    expect(open.metadata).toContainEqual({ key: 'Comments', value: 'Opted out: authorization (load balancer health probe, returns no data)' });
    expect(threatOn(model, 'stale-secret', 'PaymentApiKey')!.comments).toEqual(['Opted out: rotation (issued by the payment provider; rotated in its portal, then updated here)']);
  });

  test('removing the web ACL association flips exactly the threats it covered (web exploits, request flood)', () => {
    const withoutWaf = modelWith(dir, (stacks) => {
      const orders = stacks.find((s) => s.path === 'OrdersService')!;
      for (const [id, r] of Object.entries<any>(orders.template.Resources!)) {
        if (r.Type === 'AWS::WAFv2::WebACLAssociation') {
          delete orders.template.Resources![id];
        }
      }
    });
    expect(flipped(model, withoutWaf)).toEqual(['request-flood @ Api (REST API)', 'web-exploits @ Api (REST API)']);
  });

  test('removing authorization from one method flips exactly the spoofing threat of its API; restoring the health route resolves it', () => {
    // Logical ids of the example's methods are locked (test/examples/app.test.ts).
    const method = (stacks: AssemblyStack[], logicalId: string) => stacks.find((s) => s.path === 'OrdersService')!.template.Resources![logicalId];
    const authorizedHealth = modelWith(dir, (stacks) => { method(stacks, 'ApihealthGET2E6B3858').Properties.AuthorizationType = 'AWS_IAM'; });
    expect(flipped(model, authorizedHealth)).toEqual(['unauthenticated-api @ Api (REST API)']);
    const openPost = modelWith(dir, (stacks) => { method(stacks, 'ApiordersPOST04EA1796').Properties.AuthorizationType = 'NONE'; });
    // Already open (health); still open, now naming both methods.
    expect(flipped(model, openPost)).toEqual([]);
    expect(threatOn(openPost, 'unauthenticated-api', 'Api')!.mitigations[0].evidence.text).toMatch(/^2 of 3 methods take requests without authorization: POST \/orders, GET \/health/);
  });

  test('the storefront: the internet reaches the distribution, which reaches the site (signed) and the API; its threats name what resolves them', () => {
    expect(flowLines(model)).toEqual(expect.arrayContaining([
      'Internet clients → Cdn: HTTPS',
      'Cdn → Site: origin requests (signed, OAC)',
      'Cdn → Api: origin requests',
    ]));
    expect(threatOn(model, 'origin-bypass', 'Cdn → Site')!.mitigations[0].evidence).toEqual({ resolved: true, text: 'origin access control signs every request and the bucket blocks public access' });
    expect(threatOn(model, 'origin-bypass', 'Cdn → Api')!.mitigations[0].evidence.text)
      .toMatch(/^web ACL Api\/WebAcl, rule CloudFrontOnly-[0-9A-F]+: blocks requests without the `x-origin-verify` header CloudFront sends$/);
    expect(threatOn(model, 'web-exploits', 'Cdn')!.mitigations[0].evidence.text).toMatch(/^web ACL Cdn\/WebAcl: AWSManagedRulesAmazonIpReputationList/);
    expect(threatOn(model, 'request-flood', 'Cdn')!.mitigations.map((m) => m.evidence.text)).toEqual(['web ACL Cdn/WebAcl, rule RateLimitPerIp: block above 1000 requests per 300 s per IP']);
    expect(threatOn(model, 'browser-attacks', 'Cdn')!.resolved).toBe(true);
    expect(threatOn(model, 'untraceable-viewer-requests', 'Cdn')!.mitigations[0].evidence.text).toMatch(/^standard logs → AegisAccessLogsBucket \(bucket\) under `cloudfront\/Storefront-Cdn-/);
    // On the *.cloudfront.net certificate CloudFront accepts TLSv1: open, with what to add.
    const tls = threatOn(model, 'weak-viewer-tls', 'Cdn')!;
    expect(tls.resolved).toBe(false);
    expect(tls.mitigations.map((m) => m.evidence.resolved)).toEqual([true, false]);
  });

  test('removing the API\'s origin check, the bucket\'s origin access control or the headers policy flips exactly the threat each covered', () => {
    const storefront = (stacks: AssemblyStack[]) => stacks.find((s) => s.path === 'Storefront')!.template.Resources!;
    const ofType = (stacks: AssemblyStack[], type: string) => Object.values<any>(storefront(stacks)).filter((r) => r.Type === type);
    const noCheck = modelWith(dir, (stacks) => {
      for (const acl of ofType(stacks, 'AWS::WAFv2::WebACL')) {
        acl.Properties.Rules = acl.Properties.Rules.filter((r: any) => !String(r.Name).startsWith('CloudFrontOnly-'));
      }
    });
    expect(flipped(model, noCheck)).toEqual(['origin-bypass @ Cdn → Api']);
    // A check on the header's name with another value does not count.
    const otherValue = modelWith(dir, (stacks) => {
      for (const acl of ofType(stacks, 'AWS::WAFv2::WebACL')) {
        for (const rule of acl.Properties.Rules.filter((r: any) => String(r.Name).startsWith('CloudFrontOnly-'))) {
          rule.Statement.NotStatement.Statement.ByteMatchStatement.SearchString = 'not-the-secret';
        }
      }
    });
    expect(flipped(model, otherValue)).toEqual(['origin-bypass @ Cdn → Api']);
    const noOac = modelWith(dir, (stacks) => {
      for (const origin of ofType(stacks, 'AWS::CloudFront::Distribution')[0].Properties.DistributionConfig.Origins) {
        delete origin.OriginAccessControlId;
      }
    });
    expect(flipped(model, noOac)).toEqual(['origin-bypass @ Cdn → Site']);
    const noHeaders = modelWith(dir, (stacks) => {
      delete ofType(stacks, 'AWS::CloudFront::Distribution')[0].Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId;
    });
    expect(flipped(model, noHeaders)).toEqual(['browser-attacks @ Cdn (CDN distribution)']);
  });

  test('the README\'s excerpt is what the example app\'s threat-model.md says (summary, diagram lines, open threats)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Threat model'), readme.indexOf('\n## CI'));
    const written = read(dir, ThreatModel.MARKDOWN_FILE);
    const summary = /> (\d+ elements, \d+ flows, \*\*\d+ threats: \d+ open, \d+ resolved by the configuration\*\*)/.exec(section)![1];
    expect(written).toContain(summary);
    for (const row of section.match(/^> \| (Spoofing|Tampering|Repudiation|Information disclosure|Denial of service|Elevation of privilege|Dependencies) \|.*$/gm)!) {
      expect(written).toContain(row.slice(2));
    }
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(section)![1].split('\n').filter((l) => /n_[0-9a-f]{8}/.test(l) && !l.includes('subgraph'));
    expect(diagram.length).toBeGreaterThan(8);
    for (const line of diagram) {
      expect(written).toContain(line.trim());
    }
  });

  test('ids are UUIDv5 of the construct path and threat key: the same app gives the same ids, and a changed app changes only its own', () => {
    const again = buildThreatModel(assemblyStacks(dir), dir);
    expect(again.threats.map((t) => t.id)).toEqual(model.threats.map((t) => t.id));
    const api = threatOn(model, 'unauthenticated-api', 'Api')!;
    expect(api.id).toBe(uuidV5('OrdersService/Api/Resource/Resource#threat:unauthenticated-api'));
    expect(api.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(model.threats.map((t) => t.id)).size).toBe(model.threats.length);
  });

  test('ids never change between cdk-aegis versions (Threat Composer and the teams that imported a model key on them)', () => {
    // Written by the first implementation (RFC 4122 §4.3 on the digest's bytes); any rewrite must give the same ids.
    expect(['a', 'OrdersService/Api/Resource/Resource#threat:unauthenticated-api', 'x'.repeat(300), 'ünï'].map(uuidV5)).toEqual([
      'e5a6d784-40d2-5a72-9715-b0ab8a35f8eb',
      '97e3ba71-d4f8-5a7d-82e9-f100c8d0eb70',
      'f02f1bdd-9ee8-5b17-9979-18c45294655b',
      'e87cd912-bad7-5395-9e5e-eec407648f5f',
    ]);
  });
});

describe('threat model of a plain aws-cdk-lib app (no cdk-aegis construct, no enforce())', () => {
  let dir: string;
  let model: ThreatModelData;
  beforeAll(() => {
    dir = plainApp().outdir;
    expect(runCli(['threat-model', dir], () => undefined)).toBe(0);
    model = buildThreatModel(assemblyStacks(dir), dir);
  });

  test('`cdk-aegis threat-model <dir>` writes a valid .tc.json and the Markdown', () => {
    expect(schemaErrors(composer(dir))).toEqual([]);
    expect(read(dir, ThreatModel.MARKDOWN_FILE)).toContain('```mermaid\nflowchart LR');
  });

  test('flows come from the template: API, subscription, event source mapping, S3 notification, IAM and a cross-stack reference', () => {
    expect(flowLines(model)).toEqual(expect.arrayContaining([
      'Internet clients → Api: HTTPS',
      'Api → ApiHandler: ANY /{proxy+}; ANY /; lambda:InvokeFunction',
      'Events → Jobs: sqs; sqs:SendMessage',
      'Jobs → Worker: poll queue; sqs:GetQueueAttributes, GetQueueUrl, ReceiveMessage',
      'Worker → Jobs: sqs:ChangeMessageVisibility, DeleteMessage',
      'Uploads → Processor: lambda:InvokeFunction; S3 s3:ObjectCreated:*; s3:GetBucket*, GetObject*, List*',
      'Processor → Metadata: dynamodb:BatchWriteItem, DeleteItem, PutItem, UpdateItem',
      'any sns resource → Worker: lambda:InvokeFunction',
    ]));
    const crossStack = findFlow(model, 'Customers', 'ApiHandler')!;
    expect(crossStack.crossStack).toBe(true);
    expect([...crossStack.labels].join('; ')).toBe('dynamodb:BatchGetItem, ConditionCheckItem, DescribeTable, GetItem, GetRecords, GetShardIterator, Query, Scan');
  });

  test('the seeds\' cases are open threats, each saying what to add', () => {
    const open = (key: string, where: string) => {
      const threat = threatOn(model, key, where);
      expect(threat).toBeDefined();
      expect(threat!.resolved).toBe(false);
      return threat!.mitigations.filter((m) => !m.evidence.resolved).map((m) => m.evidence.text).join(' | ');
    };
    expect(open('forged-invocation', 'any sns resource → Worker')).toMatch(/let any sns\.amazonaws\.com resource invoke: set `SourceArn`/);
    expect(open('tampered-messages', 'Jobs')).toMatch(/aws:SecureTransport/);
    expect(open('untraceable-api-calls', 'Api')).toMatch(/set `AccessLogSetting`/);
    expect(open('untraceable-account-changes', 'AWS account 123456789012/eu-west-1')).toMatch(/no multi-region trail/);
    expect(open('untraceable-function', 'Worker')).toMatch(/`\/aws\/lambda\/<name>`/);
    expect(open('secrets-in-environment', 'ApiHandler')).toMatch(/^move DB_PASSWORD/);
    expect(open('unencrypted-data', 'Customers')).toMatch(/AWS owned key/);
    expect(open('request-flood', 'Api')).toMatch(/ThrottlingRateLimit.*rate-based rule/s);
    expect(open('concurrency-exhaustion', 'Worker')).toMatch(/ReservedConcurrentExecutions/);
    expect(open('lost-events', 'Jobs → Worker')).toMatch(/event source mapping: add a dead-letter queue/);
    expect(open('over-privileged-role', 'Processor')).toMatch(/AWS managed policy service-role\/AWSLambdaBasicExecutionRole; wildcard action\(s\) s3:GetObject\*, s3:GetBucket\*, s3:List\*/);
    // The seeds' image processor: its role reads the whole bucket, its events carry only incoming/.
    expect(open('access-beyond-flow', 'Uploads → Processor')).toBe('the role reads /* but events carry only /incoming/*: grant `s3:GetObject` on those keys alone');
    expect(open('outdated-runtime', 'ApiHandler')).toMatch(/^`Runtime: nodejs20\.x`: move to nodejs\d+\.x/);
    // Inline code has no packages.
    expect(threatOn(model, 'unknown-bundle', 'ApiHandler')!.resolved).toBe(true);
  });
});

describe('threat model where teams deploy', () => {
  test('stacks inside nested Stages, under the cdk init feature flags (weak cross-stack references), give the same flows', () => {
    const flatDir = plainApp().outdir;
    const flat = buildThreatModel(assemblyStacks(flatDir), flatDir);
    const staged = plainApp({ context: RECOMMENDED_FLAGS }, (app) => new Stage(new Stage(app, 'Pipeline'), 'Prod'));
    const model = buildThreatModel(assemblyStacks(staged.outdir), staged.outdir);
    expect(flowLines(model)).toEqual(flowLines(flat));
    const crossStack = findFlow(model, 'Customers', 'ApiHandler')!;
    expect(crossStack.crossStack).toBe(true);
    expect(crossStack.from.constructPath).toBe('Pipeline/Prod/Data/Customers/Resource');
    // The reference really is a weak one (`Fn::GetStackOutput`), and the flat app's a strong export.
    expect(JSON.stringify(assemblyStacks(staged.outdir).find((s) => s.path.endsWith('Compute'))!.template)).toContain('"Fn::GetStackOutput"');
    expect(JSON.stringify(assemblyStacks(flatDir).find((s) => s.path === 'Compute')!.template)).toContain('"Fn::ImportValue"');
    ThreatModel.write(staged.outdir);
    expect(schemaErrors(composer(staged.outdir))).toEqual([]);
  });

  test('nested stacks are read from their template files, with or without the CLI\'s asset metadata', () => {
    for (const context of [{}, { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:enable-asset-metadata': true }]) {
      const app = newApp({ context });
      const nested = new NestedStack(new Stack(app, 'Parent'), 'Inner');
      const jobs = new sqs.Queue(nested, 'Jobs', { enforceSSL: true });
      const worker = new lambda.Function(nested, 'Worker', { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      worker.addEventSource(new eventSources.SqsEventSource(jobs));
      app.synth();
      const summary = ThreatModel.write(app.outdir);
      const model = buildThreatModel([...assemblyStacks(app.outdir), ...nestedStacks(app.outdir, assemblyStacks(app.outdir)[0])], app.outdir);
      expect(flowLines(model)).toContain('Jobs → Worker: poll queue; sqs:GetQueueAttributes, GetQueueUrl, ReceiveMessage');
      expect(findFlow(model, 'Jobs', 'Worker')!.from.constructPath).toBe('Parent/Inner/Jobs/Resource');
      expect(summary.elements).toBe(model.graph.elements.size);
    }
  });

  test('a large app collapses to one node per stack within Mermaid\'s limits, and the model grows linearly', () => {
    const stackOf = (n: number, name: string): AssemblyStack => {
      const resources: Record<string, any> = {};
      for (let i = 0; i < n; i++) {
        resources[`Fn${i}`] = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs24.x', Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] } } };
        resources[`Role${i}`] = { Type: 'AWS::IAM::Role', Properties: {} };
        resources[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: {} };
        resources[`Mapping${i}`] = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: `Fn${i}` }, EventSourceArn: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] } } };
        resources[`Policy${i}`] = {
          Type: 'AWS::IAM::Policy',
          Properties: { Roles: [{ Ref: `Role${i}` }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: { 'Fn::GetAtt': [`Queue${i}`, 'Arn'] } }] } },
        };
      }
      return { path: name, stackName: name, templateFile: `${name}.template.json`, template: { Resources: resources }, metadata: {}, environment: 'aws://123456789012/eu-west-1' };
    };
    const small = buildThreatModel([stackOf(260, 'A'), stackOf(260, 'B')], '');
    const diagram = mermaidFlowchart(small);
    expect(diagram.collapsed).toBe(true);
    expect(diagram.text.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT);
    expect((diagram.text.match(/-->/g) ?? []).length).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    expect(diagram.text).toContain('"stack A (520 elements)"');
    // Twice the stacks: twice the elements, flows and threats.
    const large = buildThreatModel([stackOf(260, 'A'), stackOf(260, 'B'), stackOf(260, 'C'), stackOf(260, 'D')], '');
    expect(large.graph.flows.size).toBe(2 * small.graph.flows.size);
    expect(large.threats.length).toBe(2 * small.threats.length - 1); // one account pseudo-element either way
    expect(mermaidFlowchart(buildThreatModel([stackOf(3, 'Tiny')], '')).collapsed).toBe(false);
  });
});

describe('threat model options and errors', () => {
  test('enforce({ threatModel: Toggle.off({ reason }) }) writes no threat model and records the reason in the ledger', () => {
    const app = newApp();
    Compliance.of(app).enforce({ threatModel: Toggle.off({ reason: 'the platform team models threats centrally' }) });
    new SecureQueue(new Stack(app, 'Quiet'), 'Jobs');
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, ThreatModel.MARKDOWN_FILE))).toBe(false);
    const ledger = JSON.parse(read(app.outdir, 'compliance-ledger.json'));
    expect(ledger.optOutsWithoutRule).toContainEqual({ constructPath: 'App', control: 'threatModel', reason: 'the platform team models threats centrally' });
  });

  test.each([
    ['a reason that is too short', { threatModel: Toggle.off({ reason: 'no' }) }, /`threatModel` opt-out needs a reason of at least \d+ characters, got: "no"/],
    ['a boolean (untyped callers)', { threatModel: false }, /`threatModel` must be .*Toggle\.off\(\{ reason \}\).*got: false/],
  ])('enforce() fails when `threatModel` is %s', (_name, options, message) => {
    expect(() => Compliance.of(newApp()).enforce(options as any)).toThrow(message);
  });

  test('an empty app gives an empty model; an app of many stacks is named by its stack count', () => {
    const empty = newApp();
    empty.synth();
    expect(ThreatModel.write(empty.outdir)).toMatchObject({ elements: 0, flows: 0, threats: 0, openThreats: 0 });
    expect(read(empty.outdir, ThreatModel.MARKDOWN_FILE)).toMatch(/^# Threat model: empty app\n[\s\S]*## Open threats\n\nNone\./);
    expect(schemaErrors(composer(empty.outdir))).toEqual([]);
    const many = newApp();
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      new sqs.Queue(new Stack(many, name), 'Jobs', { enforceSSL: true });
    }
    many.synth();
    const summary = ThreatModel.write(many.outdir);
    expect(summary.elements).toBe(6); // five queues and the (env-agnostic) account
    expect(read(many.outdir, ThreatModel.MARKDOWN_FILE)).toMatch(/^# Threat model: 5 stacks\n/);
  });

  test('ThreatModel.write fails with a clear error when the directory holds no cloud assembly; the CLI exits 2', () => {
    expect(() => ThreatModel.write('/nonexistent/cdk.out')).toThrow('`assemblyDir` must be a cloud assembly directory (with a manifest.json), got: "/nonexistent/cdk.out". Pass the `cdk synth --output` directory, e.g. `cdk.out`.');
    expect(() => ThreatModel.write(42 as any)).toThrow(/`assemblyDir` must be a cloud assembly directory .* got: 42/);
    const errors: string[] = [];
    expect(runCli(['threat-model', '/nonexistent/cdk.out'], () => undefined, (l) => errors.push(l))).toBe(2);
    expect(errors[0]).toMatch(/^cdk-aegis threat-model: \/nonexistent\/cdk\.out is not a directory/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-empty-'));
    expect(runCli(['threat-model', empty], () => undefined, (l) => errors.push(l))).toBe(2);
    expect(errors[1]).toMatch(/does not hold a readable cloud assembly \(`assemblyDir` must be a cloud assembly directory/);
  });
});
