/**
 * `examples/app.ts` as production teams deploy it: both stacks bound to an
 * account and region (lookups, pipelines and cross-region references need
 * it). `npx projen synth:example` synthesizes it with the CDK CLI too.
 */
import { buildApp } from './app';

export const EXAMPLE_ENV = { account: '123456789012', region: 'eu-west-1' };

if (require.main === module) {
  buildApp({}, { stackProps: { env: EXAMPLE_ENV } }).synth();
}
