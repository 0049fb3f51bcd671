/**
 * `npx projen bench:profile`: where the synth time of one stack of N = 100
 * functions + routes goes, plain aws-cdk-lib with AwsSolutions vs cdk-aegis
 * (BASELINE enforced): construction, synthesis (with the packs), each pack
 * on its own, and the slowest AwsSolutions rules on the cdk-aegis stack.
 * Prints a small report; not part of `npm test`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, NagPack, ServerlessChecks } from 'cdk-nag';
import { AegisChecks, Compliance, HttpMethod, SecureApi, SecureFunction } from '../src';

const N = Number(process.env.BENCH_N ?? '100');
const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });');

function build(variant: 'plain-nag' | 'secure'): { app: App; stack: Stack } {
  // One stack of more than 500 resources: CloudFormation would refuse it, synth does not need to.
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-profile-')), context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new Stack(app, 'Profile');
  if (variant === 'secure') {
    Compliance.of(app).enforce();
    const api = new SecureApi(stack, 'Api');
    for (let i = 0; i < N; i++) api.addRoute(HttpMethod.GET, `/f${i}`, new SecureFunction(stack, `Fn${i}`, { code: CODE, handler: 'index.handler' }));
  } else {
    Validations.of(app).addPlugins(new AwsSolutionsChecks());
    const api = new apigateway.RestApi(stack, 'Api');
    for (let i = 0; i < N; i++) {
      const fn = new lambda.Function(stack, `Fn${i}`, { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      api.root.addResource(`f${i}`).addMethod('GET', new apigateway.LambdaIntegration(fn));
    }
  }
  return { app, stack };
}

function time<T>(f: () => T): [T, number] {
  const s = performance.now();
  const r = f();
  return [r, Math.round(performance.now() - s)];
}

function rulesOf(pack: NagPack, stack: Stack): Array<[string, number]> {
  const times = new Map<string, number>();
  const proto = NagPack.prototype as any;
  const original = proto.applyRule;
  proto.applyRule = function applyRule(this: NagPack, params: any) {
    const s = performance.now();
    try {
      return original.call(this, params);
    } finally {
      const rule = `${this.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
      times.set(rule, (times.get(rule) ?? 0) + performance.now() - s);
    }
  };
  try {
    pack.validateScope(stack);
  } finally {
    proto.applyRule = original;
  }
  return [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, t]) => [r, Math.round(t)]);
}

for (const variant of ['plain-nag', 'secure'] as const) {
  const [{ app, stack }, constructMs] = time(() => build(variant));
  const [, synthMs] = time(() => {
    try {
      app.synth();
    } catch {
      // plain-nag reports findings: the time still counts
    }
  });
  const resources = Object.keys(JSON.parse(fs.readFileSync(path.join(app.outdir, `${stack.artifactId}.template.json`), 'utf8')).Resources).length;
  const packs = variant === 'secure' ? [new AwsSolutionsChecks(), new ServerlessChecks(), new AegisChecks()] : [new AwsSolutionsChecks()];
  const perPack = packs.map((p) => `${p.readPackName} ${time(() => p.validateScope(stack))[1]} ms`);
  console.log(`${variant}: ${resources} resources, ${stack.node.findAll().length} constructs; construct ${constructMs} ms, synth ${synthMs} ms; packs alone: ${perPack.join(', ')}`);
  console.log(`  slowest AwsSolutions rules: ${rulesOf(new AwsSolutionsChecks(), stack).map(([r, t]) => `${r} ${t} ms`).join(', ')}`);
}
