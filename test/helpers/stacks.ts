import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { newApp } from './synth';
import { Compliance, SecurityProfile } from '../../src';

/** Inline code for test functions (no asset staging, fast synth). */
export const CODE = lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');

/** An App under `Compliance.of(app).enforce({ profile })` and one stack in it. */
export function enforcedStack(profile: SecurityProfile = SecurityProfile.BASELINE) {
  const app = newApp();
  Compliance.of(app).enforce({ profile });
  const stack = new Stack(app, 'TestStack');
  return { app, stack };
}

/** An App without rule packs (template assertions only) and one stack in it. */
export function plainStack() {
  const app = newApp();
  const stack = new Stack(app, 'TestStack');
  return { app, stack };
}
