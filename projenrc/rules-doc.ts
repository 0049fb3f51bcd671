import * as fs from 'fs';
import { AEGIS_PACK_NAME } from '../src/compliance/packs/aegis-checks';
import { AEGIS_RULES } from '../src/compliance/rules';

/**
 * Which public-pack rules each construct's defaults satisfy (the README's
 * Secure defaults tables, in rule form). A test checks every id names a rule
 * its pack has.
 *
 * Build tooling (projenrc/): RULES.md is generated from it; it does not ship in lib/.
 */
export const CONSTRUCT_COVERAGE: ReadonlyArray<{ construct: string; rules: string[] }> = [
  {
    construct: 'SecureFunction',
    rules: [
      'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-L1', 'Serverless-LambdaDLQ', 'Serverless-LambdaDefaultMemorySize',
      'Serverless-LambdaDefaultTimeout', 'Serverless-LambdaLatestVersion', 'Serverless-LambdaStarPermissions', 'Serverless-LambdaTracing',
      'Serverless-CloudWatchLogGroupRetentionPeriod', 'HIPAA.Security-LambdaDLQ', 'HIPAA.Security-LambdaInsideVPC',
      'HIPAA.Security-LambdaConcurrency', 'HIPAA.Security-IAMNoInlinePolicy', 'HIPAA.Security-CloudWatchLogGroupEncrypted',
    ],
  },
  {
    construct: 'SecureSecret',
    rules: ['AwsSolutions-SMG4', 'HIPAA.Security-SecretsManagerUsingKMSKey', 'HIPAA.Security-SecretsManagerRotationEnabled'],
  },
  {
    construct: 'SecureApi',
    rules: [
      'AwsSolutions-APIG1', 'AwsSolutions-APIG2', 'AwsSolutions-APIG3', 'AwsSolutions-APIG4', 'AwsSolutions-APIG6',
      'Serverless-APIGWAccessLogging', 'Serverless-APIGWDefaultThrottling', 'Serverless-APIGWStructuredLogging', 'Serverless-APIGWXrayEnabled',
      'HIPAA.Security-APIGWCacheEnabledAndEncrypted', 'HIPAA.Security-APIGWExecutionLoggingEnabled', 'HIPAA.Security-APIGWSSLEnabled',
      'NIST.800.53.R5-APIGWAssociatedWithWAF',
    ],
  },
  { construct: 'SecureWebAcl', rules: ['HIPAA.Security-WAFv2LoggingEnabled', 'NIST.800.53.R5-WAFv2LoggingEnabled'] },
  {
    construct: 'SecureBucket',
    rules: [
      'AwsSolutions-S1', 'AwsSolutions-S2', 'AwsSolutions-S10', 'Serverless-EventBusDLQ', 'HIPAA.Security-S3BucketLevelPublicAccessProhibited',
      'HIPAA.Security-S3BucketLoggingEnabled', 'HIPAA.Security-S3BucketReplicationEnabled', 'HIPAA.Security-S3BucketSSLRequestsOnly',
      'HIPAA.Security-S3BucketVersioningEnabled', 'HIPAA.Security-S3DefaultEncryptionKMS',
    ],
  },
  { construct: 'SecureQueue', rules: ['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4', 'Serverless-SQSRedrivePolicy'] },
  {
    construct: 'SecureTable',
    rules: ['AwsSolutions-DDB3', 'HIPAA.Security-DynamoDBPITREnabled', 'HIPAA.Security-DynamoDBInBackupPlan', 'HIPAA.Security-DynamoDBAutoScalingEnabled'],
  },
  { construct: 'SecureTopic', rules: ['AwsSolutions-SNS3', 'Serverless-SNSRedrivePolicy', 'HIPAA.Security-SNSEncryptedKMS'] },
  {
    construct: 'Monitoring',
    rules: [
      'HIPAA.Security-CloudWatchAlarmAction', 'NIST.800.53.R5-CloudWatchAlarmAction', 'AwsSolutions-SNS3', 'Serverless-SNSRedrivePolicy',
      'HIPAA.Security-SNSEncryptedKMS',
    ],
  },
];

/** RULES.md, rendered from the rules' own metadata. Not part of the public API. */
export function renderRulesMarkdown(): string {
  const lines = [
    '# Rules of the Aegis pack',
    '',
    '<!-- Generated from src/compliance/rules by `npx projen rules:doc`. Do not edit: a test fails when this file is stale. -->',
    '',
    `\`AegisChecks\` (plugin name \`${AEGIS_PACK_NAME}\`) runs in every profile of \`Compliance.of(app).enforce()\`, on every resource`,
    'of the app, plain L1/L2 code included. Acknowledge a finding on the narrowest construct with',
    `\`Validations.of(construct).acknowledge({ id: '${AEGIS_PACK_NAME}::${AEGIS_PACK_NAME}-<ID>', reason })\` (granular findings:`,
    `\`${AEGIS_PACK_NAME}::${AEGIS_PACK_NAME}-<ID>[<finding>]\`).`,
    '',
    '| Rule | Level | Resources | Finding |',
    '|---|---|---|---|',
    ...AEGIS_RULES.map((rule) => `| \`${AEGIS_PACK_NAME}-${rule.id}\` | ${rule.level} | ${rule.resourceTypes.map((t) => `\`${t}\``).join(', ')} | ${rule.info} |`),
    '',
    ...AEGIS_RULES.flatMap((rule) => [`## ${AEGIS_PACK_NAME}-${rule.id}`, '', rule.info, '', rule.explanation, '']),
    '## Public-pack rules the constructs\' defaults satisfy',
    '',
    '| Construct | Rules |',
    '|---|---|',
    ...CONSTRUCT_COVERAGE.map(({ construct, rules }) => `| \`${construct}\` | ${rules.map((r) => `\`${r}\``).join(', ')} |`),
    '',
  ];
  return lines.join('\n');
}

/** Writes RULES.md to `file`. Not part of the public API. */
export function writeRulesDoc(file: string): void {
  fs.writeFileSync(file, renderRulesMarkdown());
}
