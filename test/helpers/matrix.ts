import { App, AppProps, Stack, StackProps, Stage } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { newApp } from './synth';
import { Compliance, SecurityProfile } from '../../src';

// The feature flags `cdk init` writes into a new app's cdk.json.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const RECOMMENDED_FLAGS: Record<string, unknown> = require('aws-cdk-lib/recommended-feature-flags.json');

/** An account and region a production stack names (`env: { account, region }`). */
export const TEST_ENV = { account: '123456789012', region: 'eu-west-1' };

/**
 * One place real teams deploy to. Every zero-findings test runs in each:
 * stacks without an environment, stacks bound to an account and region,
 * stacks inside (nested) Stages as CDK Pipelines lays them out, and an app
 * with the feature flags of a new `cdk init` app.
 */
export interface DeploymentSetting {
  readonly name: string;
  /** Props of the App (its context: feature flags). */
  readonly appProps: AppProps;
  /** The props every stack of the setting takes. */
  readonly stackProps: StackProps;
  /** Where stacks go. */
  stackScope(app: App): Construct;
}

export const DEPLOYMENT_SETTINGS: DeploymentSetting[] = [
  {
    name: 'env-agnostic',
    appProps: {},
    stackScope: (app) => app,
    stackProps: {},
  },
  {
    name: 'env-bound',
    appProps: {},
    stackScope: (app) => app,
    stackProps: { env: TEST_ENV },
  },
  {
    name: 'inside nested Stages',
    appProps: {},
    stackScope: (app) => new Stage(new Stage(app, 'Pipeline', { env: TEST_ENV }), 'Prod'),
    stackProps: {},
  },
  {
    name: 'cdk-init feature flags',
    appProps: { context: RECOMMENDED_FLAGS },
    stackScope: (app) => app,
    stackProps: { env: TEST_ENV },
  },
];


/** `[setting name, profile, setting]` rows for `test.each`: every setting under every profile. */
type MatrixRow = [string, SecurityProfile, DeploymentSetting];
export function matrix(profiles: SecurityProfile[] = [SecurityProfile.BASELINE, SecurityProfile.REGULATED]): MatrixRow[] {
  return DEPLOYMENT_SETTINGS.flatMap((setting) => profiles.map((profile): MatrixRow => [setting.name, profile, setting]));
}

/** An app of `setting` under `profile`, and one stack `TestStack` in it. */
export function settingStack(setting: DeploymentSetting, profile: SecurityProfile = SecurityProfile.BASELINE): { app: App; stack: Stack } {
  const app = newApp(setting.appProps);
  Compliance.of(app).enforce({ profile });
  const stack = new Stack(setting.stackScope(app), 'TestStack', setting.stackProps);
  return { app, stack };
}

/** The plugin name under which the CDK reports construct annotations (with `@aws-cdk/core:annotationsInValidationReport`). */
export const ANNOTATIONS_PLUGIN = 'Construct Annotations';
