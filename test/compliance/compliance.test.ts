import * as fs from 'fs';
import * as path from 'path';
import { App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, NIST80053R4Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { Compliance, SecurityProfile } from '../../src';
import { AegisValidationError } from '../../src/core/errors';
import { findingLines, newApp, synthesize } from '../helpers/synth';

const BASELINE_PACKS = ['AwsSolutions', 'Serverless', 'Aegis'];
const REGULATED_PACKS = [...BASELINE_PACKS, 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** The three findings a default `sqs.Queue` gets from the BASELINE packs. */
const PLAIN_QUEUE_FINDINGS = [
  'AwsSolutions AwsSolutions-SQS3 @ TestStack/Q/Resource',
  'AwsSolutions AwsSolutions-SQS4 @ TestStack/Q/Resource',
  'Serverless Serverless-SQSRedrivePolicy @ TestStack/Q/Resource',
];

/** A validation plugin that only counts how often it runs. */
class CountingPlugin implements IPolicyValidationPlugin {
  public calls = 0;
  constructor(public readonly name: string) {}
  public validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.calls++;
    return { success: true, violations: [] };
  }
}

/** An App with a plain, non-compliant queue in a stack. */
function appWithPlainQueue(app: App = newApp()) {
  const stack = new Stack(app, 'TestStack');
  new sqs.Queue(stack, 'Q');
  return { app, stack };
}

/** The raw validation report the CDK wrote for `app`. */
function readReport(app: App): any {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
}

/** `ruleName -> description` of every violation in the report. */
function descriptions(report: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const plugin of report.pluginReports) for (const v of plugin.violations ?? []) out[v.ruleName] = v.description;
  return out;
}

describe('Compliance.enforce packs', () => {
  test('GIVEN BASELINE WHEN enforced THEN exactly AwsSolutions and Serverless are registered', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    expect(Compliance.of(app).packNames).toEqual(BASELINE_PACKS);
    expect(Compliance.of(app).profile).toBe(SecurityProfile.BASELINE);
  });

  test('GIVEN REGULATED WHEN enforced THEN HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 are added', () => {
    const app = newApp();
    Compliance.of(app).enforce({ profile: SecurityProfile.REGULATED });
    expect(Compliance.of(app).packNames).toEqual(REGULATED_PACKS);
    expect(Compliance.of(app).profile).toBe(SecurityProfile.REGULATED);
  });

  test('GIVEN no enforce() THEN no pack is registered and the profile is BASELINE', () => {
    const app = newApp();
    expect(Compliance.of(app).packNames).toEqual([]);
    expect(Compliance.of(app).profile).toBe(SecurityProfile.BASELINE);
  });

  test('GIVEN enforce() called twice WHEN synthesized THEN each pack runs once', () => {
    const { app } = appWithPlainQueue();
    Compliance.of(app).enforce();
    Compliance.of(app).enforce();
    expect(Compliance.of(app).packNames).toEqual(BASELINE_PACKS);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual(PLAIN_QUEUE_FINDINGS);
    // Each pack with something to report appears once (Aegis has no rule a lone queue breaks).
    expect(readReport(app).pluginReports.map((p: any) => p.pluginName)).toEqual(['AwsSolutions', 'Serverless']);
  });

  test('GIVEN BASELINE then REGULATED before any construct THEN only the three new packs are added', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    Compliance.of(app).enforce({ profile: SecurityProfile.REGULATED });
    expect(Compliance.of(app).packNames).toEqual(REGULATED_PACKS);
    expect(Compliance.of(app).profile).toBe(SecurityProfile.REGULATED);
  });

  test('GIVEN `additionalPacks` THEN they are registered after the profile packs', () => {
    const app = newApp();
    Compliance.of(app).enforce({ additionalPacks: [new NIST80053R4Checks()] });
    expect(Compliance.of(app).packNames).toEqual([...BASELINE_PACKS, 'NIST.800.53.R4']);
  });

  test('GIVEN an additional pack named like a profile pack, in the same call THEN the packs run once', () => {
    const { app } = appWithPlainQueue();
    Compliance.of(app).enforce({ additionalPacks: [new AwsSolutionsChecks()] });
    expect(Compliance.of(app).packNames).toEqual(BASELINE_PACKS);
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual(PLAIN_QUEUE_FINDINGS);
    // Each pack with something to report appears once (Aegis has no rule a lone queue breaks).
    expect(readReport(app).pluginReports.map((p: any) => p.pluginName)).toEqual(['AwsSolutions', 'Serverless']);
  });

  test('GIVEN the same additional pack name twice, in one call or across calls THEN only the first plugin runs, once', () => {
    const { app } = appWithPlainQueue();
    const first = new CountingPlugin('Custom');
    const sameCall = new CountingPlugin('Custom');
    const laterCall = new CountingPlugin('Custom');
    Compliance.of(app).enforce({ additionalPacks: [first, sameCall] });
    Compliance.of(app).enforce({ additionalPacks: [laterCall] });
    expect(Compliance.of(app).packNames).toEqual([...BASELINE_PACKS, 'Custom']);
    synthesize(app);
    expect([first.calls, sameCall.calls, laterCall.calls]).toEqual([1, 0, 0]);
  });

  test('GIVEN any construct of the app THEN Compliance.of reaches the app state', () => {
    const app = newApp();
    const stack = new Stack(app, 'TestStack');
    const deep = new Construct(new Construct(stack, 'A'), 'B');
    Compliance.of(deep).enforce({ profile: SecurityProfile.REGULATED });
    expect(Compliance.of(app).packNames).toEqual(REGULATED_PACKS);
    expect(Compliance.of(app).profile).toBe(SecurityProfile.REGULATED);
    expect(Compliance.of(stack).packNames).toEqual(REGULATED_PACKS);
  });

  test('GIVEN two apps THEN their compliance state is separate', () => {
    const regulated = newApp();
    const other = newApp();
    Compliance.of(regulated).enforce({ profile: SecurityProfile.REGULATED });
    expect(Compliance.of(other).packNames).toEqual([]);
    expect(Compliance.of(other).profile).toBe(SecurityProfile.BASELINE);
  });
});

describe('Compliance profile from context', () => {
  test.each(['regulated', 'REGULATED', 'Regulated'])('GIVEN context %p THEN the profile is REGULATED and enforce() registers five packs', (value) => {
    const app = newApp({ context: { [Compliance.PROFILE_CONTEXT_KEY]: value } });
    expect(Compliance.of(app).profile).toBe(SecurityProfile.REGULATED);
    Compliance.of(app).enforce();
    expect(Compliance.of(app).packNames).toEqual(REGULATED_PACKS);
  });

  test('GIVEN context `baseline` THEN the profile is BASELINE', () => {
    const app = newApp({ context: { '@cdk-aegis/profile': 'baseline' } });
    expect(Compliance.of(app).profile).toBe(SecurityProfile.BASELINE);
  });

  test('GIVEN context REGULATED and an explicit BASELINE THEN the explicit profile wins', () => {
    const app = newApp({ context: { '@cdk-aegis/profile': 'REGULATED' } });
    Compliance.of(app).enforce({ profile: SecurityProfile.BASELINE });
    expect(Compliance.of(app).profile).toBe(SecurityProfile.BASELINE);
    expect(Compliance.of(app).packNames).toEqual(BASELINE_PACKS);
  });

  test.each([
    ['strict', '"strict"'],
    ['', '""'],
    [42, '42'],
  ])('fails when context `@cdk-aegis/profile` is %p', (value, shown) => {
    const app = newApp({ context: { '@cdk-aegis/profile': value } });
    const message = `context \`@cdk-aegis/profile\` must be one of BASELINE, REGULATED, got: ${shown}.`;
    expect(() => Compliance.of(app).profile).toThrow(message);
    expect(() => Compliance.of(app).enforce()).toThrow(message);
    expect(() => Compliance.of(app).enforce()).toThrow(AegisValidationError);
    expect(Compliance.of(app).packNames).toEqual([]);
  });
});

describe('Compliance at synth time', () => {
  test('GIVEN an error finding in a resource that is not ours WHEN synthesized THEN synth fails and the finding names its path', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    appWithPlainQueue(app);
    const result = synthesize(app);
    expect(result.error).toBeDefined();
    expect(result.error!.message).toMatch(/TestStack\/Q\/Resource/);
    expect(result.error!.message).toMatch(/Acknowledge with 'AwsSolutions::AwsSolutions-SQS4'/);
    expect(findingLines(result.findings)).toEqual(PLAIN_QUEUE_FINDINGS);
    expect(result.findings.every((f) => f.severity === 'error')).toBe(true);
  });

  test('GIVEN no enforce() WHEN the same app is synthesized THEN nothing is checked', () => {
    const { app } = appWithPlainQueue();
    const result = synthesize(app);
    expect(result.error).toBeUndefined();
    expect(result.findings).toEqual([]);
  });

  test('GIVEN verbose WHEN synthesized THEN each finding description carries the rule explanation', () => {
    const terse = appWithPlainQueue().app;
    Compliance.of(terse).enforce();
    const terseError = synthesize(terse).error;
    const verbose = appWithPlainQueue().app;
    Compliance.of(verbose).enforce({ verbose: true });
    const verboseError = synthesize(verbose).error;

    const short = descriptions(readReport(terse));
    const long = descriptions(readReport(verbose));
    expect(Object.keys(long).sort()).toEqual(Object.keys(short).sort());
    expect(Object.keys(short)).toHaveLength(3);
    for (const rule of Object.keys(short)) {
      expect(long[rule].startsWith(short[rule])).toBe(true);
      expect(long[rule].length).toBeGreaterThan(short[rule].length);
    }
    expect(short['AwsSolutions-SQS4']).toBe('The SQS queue does not require requests to use SSL.');
    expect(long['AwsSolutions-SQS4']).toMatch(/aws:SecureTransport/);
    expect(terseError!.message).not.toMatch(/aws:SecureTransport/);
    expect(verboseError!.message).toMatch(/aws:SecureTransport/);
  });
});
