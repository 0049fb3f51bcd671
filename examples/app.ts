/**
 * Example: the seed scenario "REST API → function → Secrets Manager + table",
 * under `Compliance.of(app).enforce()`.
 *
 * `npx projen synth:example` synthesizes it with the CDK CLI; every rule pack
 * of the BASELINE profile runs and the synth fails on any finding.
 *
 * The table is a plain `dynamodb.Table` hardened by hand (customer-managed
 * key, point-in-time recovery, deletion protection, exact grants) until
 * `SecureTable` lands.
 */
import * as path from 'path';
import { App, AppProps, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiAuthorization, Compliance, SecretRotation, SecureApi, SecureFunction, SecureSecret, StackKey } from '../src';

const ORDER_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['sku', 'quantity'],
  properties: {
    sku: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Z0-9-]{3,32}$' },
    quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 100 },
  },
  additionalProperties: false,
};

export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  Compliance.of(app).enforce();

  const stack = new Stack(app, 'OrdersService', {
    description: 'cdk-aegis example: an IAM-authorized, WAF-protected REST API in front of functions using Secrets Manager and DynamoDB',
  });
  const key = StackKey.of(stack);

  const paymentApiKey = new SecureSecret(stack, 'PaymentApiKey', {
    description: 'API key issued by the payment provider; set its value out of band',
    rotation: SecretRotation.none({ reason: 'issued by the payment provider; rotated in its portal, then updated here' }),
  });

  const orders = new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const code = lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'orders'));
  const createOrder = new SecureFunction(stack, 'CreateOrder', {
    code,
    handler: 'index.create',
    environment: { PAYMENT_API_URL: 'https://api.payments.example.com/v1', TABLE_NAME: orders.tableName },
    secrets: { PAYMENT_API_KEY: paymentApiKey },
  });
  const getOrder = new SecureFunction(stack, 'GetOrder', {
    code,
    handler: 'index.get',
    environment: { TABLE_NAME: orders.tableName },
  });
  const health = new SecureFunction(stack, 'Health', { code, handler: 'index.health' });

  // Exact table grants (the L2 grantReadWriteData adds kms:GenerateDataKey* and kms:ReEncrypt*).
  grantTable(orders, createOrder, ['dynamodb:PutItem'], ['kms:Decrypt', 'kms:GenerateDataKey']);
  grantTable(orders, getOrder, ['dynamodb:GetItem'], ['kms:Decrypt']);

  const api = new SecureApi(stack, 'Api', { description: 'Orders API (IAM-authorized)' });
  api.addRoute('POST', '/orders', createOrder, { requestSchema: ORDER_SCHEMA });
  api.addRoute('GET', '/orders/{id}', getOrder);
  api.addRoute('GET', '/health', health, {
    authorization: ApiAuthorization.none({ reason: 'load balancer health probe, returns no data' }),
  });

  return app;
}

function grantTable(table: dynamodb.Table, fn: SecureFunction, actions: string[], keyActions: string[]): void {
  table.grant(fn, ...actions);
  fn.addToRolePolicy(new iam.PolicyStatement({
    actions: keyActions,
    resources: [table.encryptionKey!.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Aws.REGION}.amazonaws.com` } },
  }));
}

if (require.main === module) {
  buildApp().synth();
}
