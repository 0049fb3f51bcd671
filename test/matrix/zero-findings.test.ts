import { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../examples/app';
import { Compliance, SecureBucket, SecureFunction } from '../../src';
import { everyConstruct, EXPECTED_WARNINGS } from '../fixtures/every-construct';
import { ANNOTATIONS_PLUGIN, DEPLOYMENT_SETTINGS, matrix, settingStack, TEST_ENV } from '../helpers/matrix';
import { CODE } from '../helpers/stacks';
import { Finding, findingLines, newApp, SynthResult, synthesize } from '../helpers/synth';

/** Rule-pack findings (every pack, CloudFormation validation included), apart from construct annotations. */
const packFindings = (result: SynthResult) => findingLines(result.findings.filter((f) => f.plugin !== ANNOTATIONS_PLUGIN));
/** Annotation warnings the report lists, as `id @ path below the stack`. */
const warnings = (findings: readonly Finding[], stackPath: string) => findings
  .filter((f) => f.plugin === ANNOTATIONS_PLUGIN)
  .flatMap((f) => f.paths.map((p) => `${f.rule} @ ${p.slice(stackPath.length + 1)}`));

/**
 * The zero-findings promise, where real teams deploy: every construct, both
 * profiles, in every deployment setting. A finding here is a library bug
 * that only production configurations would have shown.
 */
describe('zero findings in every deployment setting', () => {
  test.each(matrix())('every construct, %s, %s', (_name, profile, setting) => {
    const { app, stack } = settingStack(setting, profile);
    everyConstruct(stack, profile);
    const result = synthesize(app);
    expect(packFindings(result)).toEqual([]);
    expect(result.error).toBeUndefined();
    // Only the warnings the fixture asks for: its opt-outs and the account-wide role (listed only with the cdk-init flags).
    const listed = warnings(result.findings, stack.node.path);
    expect(listed.filter((w) => !EXPECTED_WARNINGS.includes(w))).toEqual([]);
  });

  test.each(DEPLOYMENT_SETTINGS.map((s) => [s.name, s] as const))('examples/app.ts, %s', (_name, setting) => {
    const app = buildApp({ ...setting.appProps, outdir: newApp().outdir }, { stackProps: setting.stackProps, stackScope: setting.stackScope });
    const result = synthesize(app);
    expect(packFindings(result)).toEqual([]);
    expect(result.error).toBeUndefined();
  });
});

describe('acknowledgements across stacks', () => {
  test.each([
    ['env-agnostic', {}],
    ['env-bound', { env: TEST_ENV }],
  ])('a function reading objects of a bucket in another stack has zero findings (%s)', (_name, props) => {
    const app = newApp();
    Compliance.of(app).enforce();
    const data = new Stack(app, 'Data', props);
    const compute = new Stack(app, 'Compute', props);
    const bucket = new SecureBucket(data, 'Reports');
    const fn = new SecureFunction(compute, 'Reader', { code: CODE, handler: 'index.handler' });
    bucket.grantRead(fn, 'reports/*');
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    // The bucket's ARN reaches the other stack as an import: the acknowledgement names it the way the template does.
    expect(result.acknowledged.filter((a) => a.acknowledgedAt === 'Compute/Reader/ServiceRole').map((a) => a.rule))
      .toEqual([expect.stringMatching(/^AwsSolutions-IAM5\[Resource::Data:ExportsOutput.*\/reports\/\*\]$/)]);
  });
});
