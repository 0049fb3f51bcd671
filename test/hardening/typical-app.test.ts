import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { typicalSeedsApp } from '../fixtures/typical-seeds-app';
import { newApp, synthesize } from '../helpers/synth';

/**
 * Issue 15's measure, untouched: the typical plain-L2 seeds app under the
 * AwsSolutions and Serverless packs. SecureDefaults brings it to 5
 * (test/hardening/secure-defaults.test.ts), all needing the user's decision: the pinned
 * NODEJS_22_X runtime (AwsSolutions-L1, Serverless-LambdaLatestVersion, one
 * each per function) and the secret without rotation (AwsSolutions-SMG4).
 */
describe('the typical plain-L2 seeds app (issue 15\'s measure)', () => {
  test('untouched, it has the 36 AwsSolutions + Serverless findings the issue counts', () => {
    const app = newApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(), new ServerlessChecks());
    typicalSeedsApp(new Stack(app, 'Seeds'));
    const { findings } = synthesize(app);
    const count = (prefix: string) => findings.filter((f) => f.rule.startsWith(prefix)).reduce((n, f) => n + f.paths.length, 0);
    const exactly = (rule: string) => findings.filter((f) => f.rule === rule).reduce((n, f) => n + f.paths.length, 0);
    expect(count('')).toBe(36);
    expect({
      decisions: count('AwsSolutions-L1') + count('Serverless-LambdaLatestVersion') + count('AwsSolutions-SMG4'),
      wildcardsFromGrants: count('AwsSolutions-IAM5'),
      managedPolicies: count('AwsSolutions-IAM4'),
      api: count('AwsSolutions-APIG') + count('AwsSolutions-COG4') + count('Serverless-APIGW'),
      functions: count('Serverless-Lambda') - count('Serverless-LambdaLatestVersion'),
      stores: exactly('AwsSolutions-DDB3') + exactly('AwsSolutions-S1') + exactly('AwsSolutions-S10'),
    }).toEqual({ decisions: 5, wildcardsFromGrants: 4, managedPolicies: 4, api: 11, functions: 8, stores: 4 });
  });
});
