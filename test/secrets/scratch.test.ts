import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SecretRotation, SecureFunction, SecureSecret } from '../../src';
import { CODE, enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, synthesize } from '../helpers/synth';

test('scratch', () => {
  const { stack } = plainStack();
  const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
  new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn) });
  console.log(JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
});
test('scratch2', () => {
  const { app, stack } = enforcedStack();
  const fn = new SecureFunction(stack, 'Rotator', { code: CODE, handler: 'index.handler' });
  new SecureSecret(stack, 'Db', { rotation: SecretRotation.schedule(fn) });
  new SecureSecret(stack, 'Vendor', { rotation: SecretRotation.none({ reason: 'rotated by the vendor portal' }) });
  new secretsmanager.Secret(stack, 'Plain');
  const r = synthesize(app);
  console.log(findingLines(r.findings), JSON.stringify(r.acknowledged, null, 1), r.error?.message);
});
