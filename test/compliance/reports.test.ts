import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import { Annotations, NestedStack, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlarmSetting, Compliance, Monitoring, SecretRotation, SecureFunction, SecureQueue, SecureSecret } from '../../src';
import { runCli } from '../../src/compliance/reports/cli';
import { AcknowledgedBy } from '../../src/compliance/reports/ledger';
import { summaryLine, writeComplianceReports } from '../../src/compliance/reports/write';
import { CODE } from '../helpers/stacks';
import { newApp, synthesize } from '../helpers/synth';

/** Validates against the SARIF 2.1.0 schema shipped in @microsoft/jest-sarif (draft-04). */
function sarifSchemaErrors(log: unknown): string[] {
  const json = (module: string) => JSON.parse(fs.readFileSync(require.resolve(module), 'utf8'));
  // The SARIF schema has a pattern that is invalid in unicode mode (`]?` after a group): compile without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  const validate = ajv.compile(json('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  return validate(log) ? [] : (validate.errors ?? []).map((e: any) => `${e.instancePath} ${e.message}`);
}

/** An enforced app with two findings (a plain queue), library acknowledgements, a typed opt-out and a direct acknowledgement. */
function synthesized() {
  const app = newApp();
  Compliance.of(app).enforce();
  const stack = new Stack(app, 'Reports');
  new sqs.Queue(stack, 'PlainQueue', { enforceSSL: true });
  new SecureFunction(stack, 'Fn', { code: CODE, handler: 'index.handler', durationAlarm: AlarmSetting.off({ reason: 'nightly batch (long runs expected)' }) });
  new SecureSecret(stack, 'VendorKey', { rotation: SecretRotation.none({ reason: 'issued by the vendor, rotated in its portal' }) });
  const legacy = new sqs.Queue(stack, 'LegacyQueue', { enforceSSL: true });
  Validations.of(legacy).acknowledge(
    { id: 'AwsSolutions::AwsSolutions-SQS3', reason: 'drained by a batch job that reprocesses failures itself' },
    // A user cannot pass their own acknowledgement off as the library's by copying its prefix.
    { id: 'Serverless::Serverless-SQSRedrivePolicy', reason: 'cdk-aegis (trust me): drained by a batch job that reprocesses failures itself' },
  );
  const result = synthesize(app);
  return { app, result, dir: app.outdir };
}

describe('compliance reports', () => {
  test('the SARIF file is valid SARIF 2.1.0, with one result per finding, located by template, logical id and construct path', () => {
    const { dir, result } = synthesized();
    writeComplianceReports(dir);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'compliance.sarif'), 'utf8'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarifSchemaErrors({ version: '2.1.0', runs: [{ results: [] }] })).not.toEqual([]);
    const results = sarif.runs.flatMap((run: any) => run.results.map((r: any) => ({ tool: run.tool.driver.name, ...r })));
    expect(results.map((r: any) => `${r.tool} ${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`).sort()).toEqual(
      result.findings.flatMap((f) => f.paths.map((p) => `${f.plugin} ${f.rule} ${p}`)).sort(),
    );
    const sqs3 = results.find((r: any) => r.ruleId === 'AwsSolutions-SQS3');
    expect(sqs3.level).toBe('error');
    // URIs are relative to the working directory (the repository root in CI), e.g. `cdk.out/<template>`;
    // this assembly lives outside it, so the URI is the template's own name.
    expect(sqs3.locations[0].physicalLocation.artifactLocation.uri).toBe('Reports.template.json');
    expect(sqs3.locations[0].logicalLocations[1]).toEqual({ name: expect.stringMatching(/^PlainQueue[0-9A-F]{8}$/), kind: 'resource' });
    const run = sarif.runs.find((r: any) => r.tool.driver.name === 'AwsSolutions');
    expect(run.tool.driver.rules[sqs3.ruleIndex].id).toBe('AwsSolutions-SQS3');
    // Every pack of the profile has a run, even one without findings.
    expect(sarif.runs.map((r: any) => r.tool.driver.name)).toEqual(expect.arrayContaining(['AwsSolutions', 'Serverless']));
  });

  test('the ledger lists exactly the acknowledgements made, and who made each', () => {
    const { dir, result } = synthesized();
    writeComplianceReports(dir);
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'compliance-ledger.json'), 'utf8')).acknowledgements;
    expect(ledger.map((e: any) => `${e.ruleId} @ ${e.constructPath}`).sort()).toEqual(
      result.acknowledged.flatMap((a) => a.paths.map((p) => `${a.rule} @ ${p}`)).sort(),
    );
    const by = (fragment: string) => [...new Set(ledger.filter((e: any) => e.constructPath.includes(fragment)).map((e: any) => e.by))];
    expect(by('LegacyQueue')).toEqual([AcknowledgedBy.USER]);
    expect(by('VendorKey')).toEqual([AcknowledgedBy.USER_OPT_OUT]);
    expect(by('AegisXRayWriteAccess')).toEqual([AcknowledgedBy.LIBRARY]);
    expect(ledger.find((e: any) => e.constructPath.includes('AegisXRayWriteAccess'))).toMatchObject({ cause: 'AWS-forced', templateFile: 'Reports.template.json' });
    const markdown = fs.readFileSync(path.join(dir, 'compliance-ledger.md'), 'utf8');
    expect(markdown).toContain(`${ledger.length} acknowledgement(s)`);
    expect(markdown).toContain('| `Reports/LegacyQueue/Resource` | `AwsSolutions-SQS3` | user | drained by a batch job that reprocesses failures itself |');
  });

  test('the ledger also lists the controls turned off that no rule covers (an alarm), with the reason, and only those', () => {
    const { dir } = synthesized();
    writeComplianceReports(dir);
    const ledger = JSON.parse(fs.readFileSync(path.join(dir, 'compliance-ledger.json'), 'utf8'));
    // The secret's rotation opt-out is acknowledged against rules, so it is in `acknowledgements`, not here.
    expect(ledger.optOutsWithoutRule).toEqual([{ constructPath: 'Reports/Fn', control: 'durationAlarm', reason: 'nightly batch (long runs expected)' }]);
    const markdown = fs.readFileSync(path.join(dir, 'compliance-ledger.md'), 'utf8');
    expect(markdown).toContain('1 typed opt-out(s)');
    expect(markdown).toContain('| `Reports/Fn` | `durationAlarm` | nightly batch (long runs expected) |');
  });

  test('the ledger lists the cdk-aegis warnings still open (no fallback channel), not those acknowledged, and not the opt-outs (listed apart)', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    const stack = new Stack(app, 'Warned');
    new SecureQueue(stack, 'Jobs', { messageAgeAlarm: AlarmSetting.off({ reason: 'drained by a nightly batch job' }) });
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    const other = new Stack(app, 'Acknowledged');
    new SecureQueue(other, 'Jobs');
    Monitoring.of(other).notifyEmail('oncall@example.com');
    Annotations.of(Monitoring.of(other)).acknowledgeWarning('@cdk-aegis/alarm-fallback-missing', 'the platform alarms on SNS delivery failures account-wide');
    synthesize(app);
    writeComplianceReports(app.outdir);
    const ledger = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8'));
    expect(ledger.openWarnings.map((w: any) => `${w.id} @ ${w.constructPath}`)).toEqual(['@cdk-aegis/alarm-fallback-missing @ Warned/AegisMonitoring']);
    expect(ledger.openWarnings[0].message).toMatch(/^the alarm topic's own delivery failures .* notify no one/);
    const markdown = fs.readFileSync(path.join(app.outdir, 'compliance-ledger.md'), 'utf8');
    expect(markdown).toContain('1 warning(s)');
    expect(markdown).toContain('| `Warned/AegisMonitoring` | `@cdk-aegis/alarm-fallback-missing` |');
  });

  test('stacks inside (nested) Stages are read from their nested assemblies: opt-outs, warnings, locations and the resource count', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    const stack = new Stack(new Stage(new Stage(app, 'Pipeline'), 'Prod'), 'Jobs');
    new SecureQueue(stack, 'Jobs', { messageAgeAlarm: AlarmSetting.off({ reason: 'drained by a nightly batch job' }) });
    Monitoring.of(stack).notifyEmail('oncall@example.com');
    synthesize(app);
    const summary = writeComplianceReports(app.outdir);
    const templateFile = `assembly-Pipeline/assembly-Pipeline-Prod/${stack.templateFile}`;
    const template = JSON.parse(fs.readFileSync(path.join(app.outdir, templateFile), 'utf8'));
    expect(summary.resourcesChecked).toBe(Object.keys(template.Resources).length);
    const ledger = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8'));
    expect(ledger.optOutsWithoutRule).toEqual([{ constructPath: 'Pipeline/Prod/Jobs/Jobs', control: 'messageAgeAlarm', reason: 'drained by a nightly batch job' }]);
    expect(ledger.openWarnings.map((w: any) => `${w.id} @ ${w.constructPath}`)).toEqual(['@cdk-aegis/alarm-fallback-missing @ Pipeline/Prod/Jobs/AegisMonitoring']);
    expect(ledger.acknowledgements.length).toBeGreaterThan(0);
    expect(new Set(ledger.acknowledgements.map((e: any) => e.templateFile))).toEqual(new Set([templateFile]));
  });

  test('nested stacks are read too: their resources are counted, their functions listed, their findings located in their own template', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Inner');
    new SecureFunction(nested, 'Fn', { code: CODE, handler: 'index.handler' });
    new sqs.Queue(nested, 'PlainQueue', { enforceSSL: true });
    synthesize(app);
    const summary = writeComplianceReports(app.outdir);
    const templates = fs.readdirSync(app.outdir).filter((f) => f.endsWith('.template.json'));
    const nestedFile = templates.find((f) => f.includes('Inner'))!;
    const count = (file: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(app.outdir, file), 'utf8')).Resources).length;
    expect(templates).toHaveLength(2);
    expect(summary.resourcesChecked).toBe(count(parent.templateFile) + count(nestedFile));
    const ledger = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8'));
    expect(ledger.functionContents).toEqual([{ constructPath: 'Parent/Inner/Fn', contents: 'inline code' }]);
    const sarif = JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance.sarif'), 'utf8'));
    const sqs3 = sarif.runs.flatMap((run: any) => run.results).find((r: any) => r.ruleId === 'AwsSolutions-SQS3');
    expect(sqs3.locations[0].physicalLocation.artifactLocation.uri).toBe(nestedFile);
  });

  test('the summary counts packs, resources, errors, warnings and acknowledgements', () => {
    const { dir, result } = synthesized();
    const summary = writeComplianceReports(dir, ['AwsSolutions', 'Serverless', 'Aegis']);
    const template = JSON.parse(fs.readFileSync(path.join(dir, 'Reports.template.json'), 'utf8'));
    expect(summary).toEqual({
      packs: ['AwsSolutions', 'Serverless', 'Aegis'],
      resourcesChecked: Object.keys(template.Resources).length,
      errors: result.findings.filter((f) => f.severity === 'error').flatMap((f) => f.paths).length,
      warnings: result.findings.filter((f) => f.severity === 'warning').flatMap((f) => f.paths).length,
      acknowledgements: result.acknowledged.flatMap((a) => a.paths).length,
    });
    expect(summary.errors).toBeGreaterThan(0);
    expect(summaryLine(summary)).toBe(
      `[cdk-aegis] packs: AwsSolutions, Serverless, Aegis · resources checked: ${summary.resourcesChecked} · errors: ${summary.errors} · ` +
        `warnings: ${summary.warnings} · acknowledgements: ${summary.acknowledgements}`,
    );
  });

  test('`cdk-aegis report <dir>` writes the reports, prints the summary, and exits 1 on error findings', () => {
    const { dir } = synthesized();
    const out: string[] = [];
    expect(runCli(['report', dir], (line) => out.push(line))).toBe(1);
    expect(out[0]).toMatch(/^\[cdk-aegis\] packs: /);
    for (const file of ['compliance.sarif', 'compliance-ledger.json', 'compliance-ledger.md']) {
      expect(fs.existsSync(path.join(dir, file))).toBe(true);
    }
  });

  test('`cdk-aegis report` exits 0 for a clean assembly', () => {
    const app = newApp();
    Compliance.of(app).enforce();
    new SecureFunction(new Stack(app, 'Clean'), 'Fn', { code: CODE, handler: 'index.handler' });
    app.synth();
    expect(runCli(['report', app.outdir], () => undefined)).toBe(0);
  });

  test('`cdk-aegis --help` prints the usage and exits 0; a directory without an assembly exits 2', () => {
    const out: string[] = [];
    expect(runCli(['--help'], (line) => out.push(line))).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^usage: cdk-aegis report/)]);
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-broken-'));
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{ not json');
    const err: string[] = [];
    expect(runCli(['report', broken], () => undefined, (line) => err.push(line))).toBe(2);
    expect(err.join('\n')).toMatch(/does not hold a readable cloud assembly/);
  });

  test.each([
    [['lint'], /usage: cdk-aegis report/],
    [['report', 'a', 'b'], /usage: cdk-aegis report/],
    [['report', '/nonexistent/cdk.out'], /\/nonexistent\/cdk.out is not a directory; pass the cloud assembly directory/],
  ])('`cdk-aegis %j` fails with a clear message and exit code 2', (args, message) => {
    const err: string[] = [];
    expect(runCli(args, () => undefined, (line) => err.push(line))).toBe(2);
    expect(err.join('\n')).toMatch(message);
  });

  test('enforce() writes the reports into the assembly when the app synthesizes, with no process-wide hook', () => {
    const exitListeners = process.listeners('exit').length;
    const app = newApp();
    Compliance.of(app).enforce();
    Compliance.of(app).enforce();
    new SecureQueue(new Stack(app, 'Reported'), 'Jobs');
    expect(process.listeners('exit')).toHaveLength(exitListeners);
    const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      app.synth();
      expect(fs.existsSync(path.join(app.outdir, 'compliance.sarif'))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(app.outdir, 'compliance-ledger.json'), 'utf8')).acknowledgements.length).toBeGreaterThan(0);
      // Outside the CDK CLI nothing is printed.
      expect(written).not.toHaveBeenCalled();
    } finally {
      written.mockRestore();
    }
  });

  /** Runs `body` as the CDK CLI runs an app (CDK_OUTDIR set to its outdir), and returns the summary lines it printed. */
  function underCli(body: (app: ReturnType<typeof newApp>) => void): string[] {
    const previous = process.env.CDK_OUTDIR;
    const app = newApp();
    process.env.CDK_OUTDIR = app.outdir;
    const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      Compliance.of(app).enforce();
      body(app);
      return written.mock.calls.map((c) => String(c[0])).filter((l) => l.startsWith('[cdk-aegis]'));
    } finally {
      written.mockRestore();
      if (previous === undefined) {
        delete process.env.CDK_OUTDIR;
      } else {
        process.env.CDK_OUTDIR = previous;
      }
    }
  }

  test('under the CDK CLI (CDK_OUTDIR set), an app synthesized twice (its own synth, then the CLI\'s auto-synth) prints one summary and one threat-model line', () => {
    const printed = underCli((app) => {
      new SecureQueue(new Stack(app, 'Twice'), 'Jobs');
      app.synth();
      app.synth();
    });
    expect(printed).toEqual([
      expect.stringMatching(/^\[cdk-aegis\] packs: AwsSolutions, Serverless, Aegis · resources checked: \d+ · errors: 0/),
      expect.stringMatching(/^\[cdk-aegis\] threat model: \d+ elements · \d+ flows · \d+ threats \(\d+ open\) → .*threat-model\.tc\.json, .*threat-model\.md\n$/),
    ]);
  });

  test('under the CDK CLI (CDK_OUTDIR set), the summary line is printed once per synth, also when a finding fails the synth (no threat model then)', () => {
    let outdir = '';
    const printed = underCli((app) => {
      outdir = app.outdir;
      new sqs.Queue(new Stack(app, 'Plain'), 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
    });
    expect(fs.existsSync(path.join(outdir, 'compliance.sarif'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'threat-model.md'))).toBe(false);
    expect(printed).toEqual([expect.stringMatching(/^\[cdk-aegis\] packs: AwsSolutions, Serverless, Aegis · resources checked: \d+ · errors: [1-9]/)]);
  });
});
