import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../examples/app';
import { findingLines, synthesize } from '../helpers/synth';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-example-'));

describe('examples/app.ts', () => {
  test('synthesizes with zero findings under every pack of its profile', () => {
    const app = buildApp({ outdir: tmp() });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    // The user's one opt-out and the library's two acknowledgements are on the record, each with its cause.
    expect(result.acknowledged.map((a) => [a.rule, a.acknowledgedAt, a.reason.replace(/\):.*/, ')')]).sort()).toEqual([
      ['AwsSolutions-IAM5[Resource::*]', 'VendorQuotes/AegisXRayWriteAccess', 'cdk-aegis (AWS-forced)'],
      ['AwsSolutions-SMG4', 'VendorQuotes/VendorApiKey', 'cdk-aegis (opt-out)'],
      ['Serverless-SQSRedrivePolicy', 'VendorQuotes/QuoteClient/DeadLetterQueue', 'cdk-aegis (rule defect)'],
    ]);
  });

  test('gives the function the secret ARN, not its value', () => {
    const app = buildApp({ outdir: tmp() });
    const stack = app.node.findChild('VendorQuotes') as any;
    const template = Template.fromStack(stack);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { VENDOR_API_KEY_SECRET_ARN: { Ref: secretId }, VENDOR_API_URL: 'https://api.quotes.example.com/v2' } },
    });
  });

  test('two synths produce byte-identical templates', () => {
    const first = buildApp({ outdir: tmp() }).synth();
    const second = buildApp({ outdir: tmp() }).synth();
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'VendorQuotes.template.json'));
    expect(read(first.directory).equals(read(second.directory))).toBe(true);
  });
});
