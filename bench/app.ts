/**
 * One benchmark synth, in its own process. Configured by environment:
 * BENCH_VARIANT (plain | plain-nag | plain-enforced | secure-unchecked | secure-aws | secure),
 * BENCH_N (functions, each behind
 * its own API route). aws-cdk-lib's built-in CloudFormation validation runs
 * unless CDK_VALIDATION=false (the runner sets it). Prints one JSON line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AegisChecks, Compliance, HttpMethod, SecureApi, SecureFunction, ThreatModel, Toggle } from '../src';
import { IndexedAwsSolutionsChecks } from '../src/compliance/private/indexed-aws-solutions';

/** Functions (with their routes) per stack: 50 × 8 resources + the API's stays under CloudFormation's 500 (BENCH_PER_STACK overrides it: 100 measures one stack of 100). */
export const FUNCTIONS_PER_STACK = Number(process.env.BENCH_PER_STACK ?? '50');
const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });');

const variant = process.env.BENCH_VARIANT ?? 'secure';
const n = Number(process.env.BENCH_N ?? '10');
const validation = process.env.CDK_VALIDATION !== 'false';

const started = performance.now();
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-bench-'));
// One stack of more than 500 resources is what the issue measures; CloudFormation would refuse it, synth does not need to.
const app = new App({ outdir, context: FUNCTIONS_PER_STACK > 50 ? { '@aws-cdk/core:stackResourceLimit': 0 } : {} });
if (variant === 'secure') {
  // BENCH_THREAT_MODEL=off measures the synth without the threat model enforce() writes by default.
  Compliance.of(app).enforce(process.env.BENCH_THREAT_MODEL === 'off' ? { threatModel: Toggle.off({ reason: 'benchmark: synth without the threat model' }) } : {});
} else if (variant === 'plain-nag') {
  Validations.of(app).addPlugins(new AwsSolutionsChecks());
} else if (variant === 'secure-aws') {
  // The secure app under the baseline's checks only: AwsSolutions as enforce() registers it, no other pack, no reports, no threat model.
  Validations.of(app).addPlugins(new IndexedAwsSolutionsChecks());
} else if (variant === 'plain-enforced') {
  // The same checks as the secure app (AwsSolutions, Serverless and Aegis packs, the reports) over the plain app. Its findings
  // fail the synth, so no threat model is written: the secure app's threat model (about 5 % of its synth) is extra work here.
  Compliance.of(app).enforce();
}
const stacks: Stack[] = [];
for (let first = 0; first < n; first += FUNCTIONS_PER_STACK) {
  const stack = new Stack(app, `Bench${stacks.length}`);
  stacks.push(stack);
  const count = Math.min(FUNCTIONS_PER_STACK, n - first);
  if (variant.startsWith('secure')) {
    // secure-unchecked: the same constructs with no pack at all.
    const api = new SecureApi(stack, 'Api');
    for (let i = 0; i < count; i++) {
      api.addRoute(HttpMethod.GET, `/f${first + i}`, new SecureFunction(stack, `Fn${first + i}`, { code: CODE, handler: 'index.handler' }));
    }
  } else {
    const api = new apigateway.RestApi(stack, 'Api');
    for (let i = 0; i < count; i++) {
      const fn = new lambda.Function(stack, `Fn${first + i}`, { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
      api.root.addResource(`f${first + i}`).addMethod('GET', new apigateway.LambdaIntegration(fn));
    }
  }
}
let failed = false;
try {
  app.synth();
} catch {
  failed = true; // plain-nag reports findings: the synth time still counts
}
const synthMs = performance.now() - started;

// Our pack alone, on the same tree (secure variant): the time per resource and its growth.
let aegisMs: number | undefined;
let threatModelMs: number | undefined;
/** The median of three timed calls: one call right after a large synth mostly measures the garbage collector. */
function medianOf3(body: () => void): number {
  const times = [0, 1, 2].map(() => {
    const t = performance.now();
    body();
    return performance.now() - t;
  });
  return times.sort((a, b) => a - b)[1];
}
if (variant === 'secure') {
  aegisMs = medianOf3(() => new AegisChecks().validateScope(app));
  // The synth above already wrote the threat model (enforce() does by default); this times its generation alone, again.
  threatModelMs = medianOf3(() => ThreatModel.write(outdir));
}
const templates = stacks.map((s) => JSON.parse(fs.readFileSync(path.join(outdir, `${s.artifactId}.template.json`), 'utf8')));
const resourcesPerStack = templates.map((t) => Object.keys(t.Resources).length);
const alarmsPerStack = templates.map((t) => Object.values<any>(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length);
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({
  variant,
  n,
  validation,
  synthMs,
  aegisMs,
  threatModelMs,
  peakRssMb: process.resourceUsage().maxRSS / 1024,
  resourcesPerStack,
  alarmsPerStack,
  failed,
})}\n`);
