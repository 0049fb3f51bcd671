import { performance } from 'perf_hooks';
import { App, Stack, CfnResource, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Compliance, HttpMethod, SecureApi, SecureFunction } from '../src';
const variant = process.env.V ?? 'secure';
const times = new Map<string, [number, number]>();
const proto = CfnResource.prototype as any;
const orig = proto._toCloudFormation;
proto._toCloudFormation = function (this: CfnResource) {
  const s = performance.now();
  try { return orig.call(this); } finally {
    const k = this.cfnResourceType; const e = times.get(k) ?? [0, 0]; e[0] += performance.now() - s; e[1]++; times.set(k, e);
  }
};
const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });');
const T0 = performance.now();
const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
const stack = new Stack(app, 'S');
if (variant === 'secure') {
  Compliance.of(app).enforce();
  const api = new SecureApi(stack, 'Api');
  for (let i = 0; i < 100; i++) api.addRoute(HttpMethod.GET, `/f${i}`, new SecureFunction(stack, `Fn${i}`, { code: CODE, handler: 'index.handler' }));
} else {
  Validations.of(app).addPlugins(new AwsSolutionsChecks());
  const api = new apigateway.RestApi(stack, 'Api');
  for (let i = 0; i < 100; i++) {
    const fn = new lambda.Function(stack, `Fn${i}`, { code: CODE, handler: 'index.handler', runtime: lambda.Runtime.NODEJS_22_X });
    api.root.addResource(`f${i}`).addMethod('GET', new apigateway.LambdaIntegration(fn));
  }
}
const { NagPack } = require('cdk-nag');
const pv = NagPack.prototype.validate;
const packT = new Map<string, number>();
NagPack.prototype.validate = function (this: any, ctx: any) { const t = performance.now(); try { return pv.call(this, ctx); } finally { packT.set(this.readPackName, (packT.get(this.readPackName) ?? 0) + performance.now() - t); } };
if (process.env.SKIP) { const ar = NagPack.prototype.applyRule; NagPack.prototype.applyRule = function (this: any, params: any) { if (['SQSQueueDLQ','SQSQueueSSLRequestsOnly'].includes(params.rule.name)) return; return ar.call(this, params); }; }
const s = performance.now();
try { app.synth(); } catch {}
console.log('total', Math.round(performance.now() - T0), 'synth', Math.round(performance.now() - s), [...packT.entries()].map(([k,v])=>k+' '+Math.round(v)).join(', '));
let tot = 0;
for (const [k, [t, n]] of [...times.entries()].sort((a, b) => b[1][0] - a[1][0])) { tot += t; console.log(k.padEnd(40), n, t.toFixed(1)); }
console.log('total _toCloudFormation', tot.toFixed(0));
