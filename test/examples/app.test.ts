import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../examples/app';
import { asArray, iamStatements } from '../helpers/iam';
import { findingLines, synthesize } from '../helpers/synth';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-example-'));
const template = () => Template.fromStack(buildApp({ outdir: tmp() }).node.findChild('OrdersService') as any);

describe('examples/app.ts', () => {
  test('synthesizes with zero findings under every pack of its profile', () => {
    const app = buildApp({ outdir: tmp() });
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    expect(result.error).toBeUndefined();
    // The user's two opt-outs and the library's acknowledgements are on the record, each with its cause.
    const byCause = (cause: string) => result.acknowledged.filter((a) => a.reason.startsWith(`cdk-aegis (${cause})`)).map((a) => `${a.rule} @ ${a.acknowledgedAt}`).sort();
    expect(byCause('opt-out')).toEqual([
      'AwsSolutions-APIG4 @ OrdersService/Api/Resource/Default/health/GET',
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/health/GET',
      'AwsSolutions-SMG4 @ OrdersService/PaymentApiKey',
    ]);
    expect(byCause('rule defect')).toEqual([
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/orders/POST',
      'AwsSolutions-COG4 @ OrdersService/Api/Resource/Default/orders/{id}/GET',
      'Serverless-SQSRedrivePolicy @ OrdersService/CreateOrder/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/GetOrder/DeadLetterQueue',
      'Serverless-SQSRedrivePolicy @ OrdersService/Health/DeadLetterQueue',
    ]);
    expect(byCause('AWS-forced')).toEqual([
      'AwsSolutions-IAM5[Resource::*] @ OrdersService/AegisXRayWriteAccess',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Access-Logs_*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*] @ OrdersService/AegisApiGatewayAccount/CloudWatchPolicy',
    ]);
    expect(result.acknowledged).toHaveLength(12);
  });

  test('gives the order function the secret ARN, not its value', () => {
    const t = template();
    const secretId = Object.keys(t.findResources('AWS::SecretsManager::Secret'))[0];
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.create',
      Environment: { Variables: { PAYMENT_API_KEY_SECRET_ARN: { Ref: secretId }, PAYMENT_API_URL: 'https://api.payments.example.com/v1', TABLE_NAME: { Ref: Object.keys(t.findResources('AWS::DynamoDB::Table'))[0] } } },
    });
  });

  test('each function gets exactly the table action it needs', () => {
    const t = template();
    const dynamo = iamStatements(t).filter(({ statement }) => asArray(statement.Action).some((a) => String(a).startsWith('dynamodb:')));
    expect(dynamo.map(({ owner, statement }) => [owner.replace(/[0-9A-F]{8}$/, ''), statement.Action])).toEqual([
      ['CreateOrderServiceRole', 'dynamodb:PutItem'],
      ['GetOrderServiceRole', 'dynamodb:GetItem'],
    ]);
  });

  test('routes the orders API: validated create, read by id, and an open health probe', () => {
    const t = template();
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM' }, 2);
    t.resourcePropertiesCountIs('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'NONE' }, 1);
    t.resourceCountIs('AWS::ApiGateway::Model', 1);
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  test('two synths produce byte-identical templates', () => {
    const first = buildApp({ outdir: tmp() }).synth();
    const second = buildApp({ outdir: tmp() }).synth();
    const read = (dir: string) => fs.readFileSync(path.join(dir, 'OrdersService.template.json'));
    expect(read(first.directory).equals(read(second.directory))).toBe(true);
  });
});
