import * as fs from 'fs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildRegulatedApp, REGULATED_ENV, REPLICA } from '../../examples/regulated';
import { asArray } from '../helpers/iam';
import { findingLines, newApp, SynthResult, synthesize } from '../helpers/synth';

describe('examples/regulated.ts', () => {
  let result: SynthResult;
  let template: Template;
  let warnings: string[];
  beforeAll(() => {
    const app = buildRegulatedApp({ outdir: newApp().outdir });
    result = synthesize(app);
    const artifact = app.synth().getStackByName('RegulatedOrders');
    warnings = artifact.messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data));
    template = Template.fromJSON(JSON.parse(fs.readFileSync(`${app.outdir}/RegulatedOrders.template.json`, 'utf8')));
  });

  test('synthesizes with zero findings in all six packs of the REGULATED profile', () => {
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(new Set(result.acknowledged.map((a) => a.plugin))).toEqual(new Set(['AwsSolutions', 'Serverless', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']));
  });

  test('runs its functions in the imported VPC\'s private subnets, with reserved concurrency', () => {
    template.resourcePropertiesCountIs('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'], SecurityGroupIds: Match.anyValue() },
      ReservedConcurrentExecutions: 10,
    }, 2);
    template.resourceCountIs('AWS::EC2::VPC', 0);
  });

  test('replicates receipts to the replica bucket, encrypted with the replica\'s key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      ReplicationConfiguration: Match.objectLike({
        Rules: [Match.objectLike({ Destination: { Bucket: REPLICA.bucketArn, EncryptionConfiguration: { ReplicaKmsKeyID: REPLICA.keyArn } } })],
      }),
      ObjectLockEnabled: true,
    });
  });

  test('lets replication read the retention and legal holds of locked objects, and says the replica needs Object Lock too', () => {
    const receipts = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true, ReplicationConfiguration: Match.anyValue() } }));
    expect(receipts).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: Match.arrayWith(['s3:GetObjectVersionForReplication', 's3:GetObjectRetention', 's3:GetObjectLegalHold']),
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [receipts[0], 'Arn'] }, '/*']] },
        })]),
      },
    });
    expect(result.findings).toEqual([]);
    expect(warnings).toContainEqual(expect.stringMatching(/orders-replica-eu-central-1.*\[ack: @cdk-aegis\/replica-object-lock\]/));
  });

  test('names its own account and region as literals in service conditions', () => {
    // Every aws:SourceAccount / kms:CallerAccount condition in the template (key, queue, topic, bucket and trust policies).
    const accounts: unknown[] = [];
    const visit = (node: any): void => {
      if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'aws:SourceAccount' || k === 'kms:CallerAccount') accounts.push(...asArray(v));
          visit(v);
        }
      }
    };
    visit(template.toJSON().Resources);
    expect(accounts.length).toBeGreaterThan(5);
    expect(new Set(accounts.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(REGULATED_ENV.account)]));
    template.allResourcesProperties('AWS::Lambda::Permission', { SourceAccount: REGULATED_ENV.account });
  });
});
