/**
 * Example: the two seed scenarios under `Compliance.of(app).enforce()`:
 * - `OrdersService`: REST API → functions → Secrets Manager + table;
 * - `ImagePipeline`: image upload → processing function → metadata table;
 * - `Storefront`: a static site and its `/api` behind one CloudFront distribution
 *   (with `EdgeWaf`, a us-east-1 stack holding its web ACL, when the stacks are bound to another region).
 *
 * `npx projen synth:example` synthesizes it with the CDK CLI; every rule pack
 * of the BASELINE profile runs and the synth fails on any finding.
 */
import * as path from 'path';
import { App, AppProps, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  AlarmSetting,
  ApiAuthorization,
  Compliance,
  EdgeOrigin,
  HttpMethod,
  Monitoring,
  SecretRotation,
  SecureApi,
  SecureBucket,
  SecureDistribution,
  SecureFunction,
  SecureAuditTrail,
  SecureSecret,
  SecureTable,
  SecureWebAcl,
  WebAclScope,
} from '../src';

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

/** Where the example's stacks go: the App itself by default, or a Stage of it (the CDK Pipelines layout). */
export interface ExampleOptions {
  /** Props of both stacks, e.g. `{ env: { account, region } }`. */
  readonly stackProps?: StackProps;
  /** Put the stacks in the construct this returns instead of the App. */
  readonly stackScope?: (app: App) => Construct;
}

export function buildApp(props: AppProps = {}, options: ExampleOptions = {}): App {
  const app = new App(props);
  Compliance.of(app).enforce();

  const scope = options.stackScope?.(app) ?? app;
  ordersService(scope, options.stackProps);
  imagePipeline(scope, options.stackProps);
  storefront(scope, options.stackProps);
  return app;
}

function ordersService(scope: Construct, stackProps: StackProps = {}): void {
  const stack = new Stack(scope, 'OrdersService', {
    ...stackProps,
    description: 'cdk-aegis example: an IAM-authorized, WAF-protected REST API in front of functions using Secrets Manager and DynamoDB',
  });

  const paymentApiKey = new SecureSecret(stack, 'PaymentApiKey', {
    description: 'API key issued by the payment provider; set its value out of band',
    rotation: SecretRotation.none({ reason: 'issued by the payment provider; rotated in its portal, then updated here' }),
  });

  // Every cdk-aegis alarm of the stack goes to one encrypted topic; on-call gets it by email, and a dashboard shows it all.
  const monitoring = Monitoring.of(stack);
  monitoring.notifyEmail('orders-oncall@example.com');
  // If that mailbox cannot be reached, the alarm says so on a second channel, never on the one that failed.
  monitoring.fallbackEmail('platform-oncall@example.com');
  monitoring.addDashboard();

  const orders = new SecureTable(stack, 'Orders', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    throttlesAlarm: AlarmSetting.on(), // opt-in: on-demand tables rarely throttle, so any throttle is news
  });

  // TypeScript handlers, bundled with esbuild at synth (an SBOM per function in cdk.out/sbom/).
  const entry = path.join(__dirname, 'handlers', 'orders.ts');
  const createOrder = new SecureFunction(stack, 'CreateOrder', {
    entry,
    handler: 'create',
    environment: { PAYMENT_API_URL: 'https://api.payments.example.com/v1', TABLE_NAME: orders.tableName },
    secrets: { PAYMENT_API_KEY: paymentApiKey },
  });
  const getOrder = new SecureFunction(stack, 'GetOrder', {
    entry,
    handler: 'get',
    environment: { TABLE_NAME: orders.tableName },
  });
  const health = new SecureFunction(stack, 'Health', { entry, handler: 'health' });

  orders.grantWriteData(createOrder);
  orders.grantReadData(getOrder);

  // Who changed what: every management event of the account, and every write to the orders table.
  const trail = new SecureAuditTrail(stack, 'AuditTrail');
  trail.recordDataEvents(orders);

  const api = new SecureApi(stack, 'Api', { description: 'Orders API (IAM-authorized)' });
  api.addRoute(HttpMethod.POST, '/orders', createOrder, { requestSchema: ORDER_SCHEMA });
  api.addRoute(HttpMethod.GET, '/orders/{id}', getOrder);
  api.addRoute(HttpMethod.GET, '/health', health, {
    authorization: ApiAuthorization.none({ reason: 'load balancer health probe, returns no data' }),
  });
}

function imagePipeline(scope: Construct, stackProps: StackProps = {}): void {
  const stack = new Stack(scope, 'ImagePipeline', {
    ...stackProps,
    description: 'cdk-aegis example: S3 uploads trigger a function (through EventBridge) that records image metadata in DynamoDB',
  });
  // A chat or paging webhook receives this stack's alarms (HTTPS only).
  Monitoring.of(stack).notifyHttps('https://hooks.example.com/services/image-pipeline');
  Monitoring.of(stack).fallbackEmail('platform-oncall@example.com');
  const uploads = new SecureBucket(stack, 'Uploads');
  const metadata = new SecureTable(stack, 'Metadata', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const processor = new SecureFunction(stack, 'Processor', {
    entry: path.join(__dirname, 'handlers', 'images.ts'),
    environment: { TABLE_NAME: metadata.tableName },
  });
  uploads.onObjectCreated(processor, { prefix: 'incoming/', suffix: '.jpg' }); // read access to incoming/*.jpg only
  metadata.grantWriteData(processor);
}

function storefront(scope: Construct, stackProps: StackProps = {}): void {
  const stack = new Stack(scope, 'Storefront', {
    ...stackProps,
    description: 'cdk-aegis example: a private S3 site and its API behind one CloudFront distribution with WAF and security headers',
    crossRegionReferences: true,
  });
  Monitoring.of(stack).notifyEmail('storefront-oncall@example.com');
  Monitoring.of(stack).fallbackEmail('platform-oncall@example.com');

  // CloudFront takes its web ACL from us-east-1. A stack there creates it itself; a stack elsewhere reads it from a small us-east-1 stack.
  const region = stack.region;
  let webAclArn: string | undefined;
  if (!Token.isUnresolved(region) && region !== 'us-east-1') {
    const edgeWaf = new Stack(scope, 'EdgeWaf', {
      env: { account: stack.account, region: 'us-east-1' },
      crossRegionReferences: true,
      description: 'cdk-aegis example: the CLOUDFRONT-scope web ACL of the Storefront distribution',
    });
    Monitoring.of(edgeWaf).notifyEmail('storefront-oncall@example.com');
    Monitoring.of(edgeWaf).fallbackEmail('platform-oncall@example.com');
    webAclArn = new SecureWebAcl(edgeWaf, 'Waf', { scope: WebAclScope.CLOUDFRONT }).webAclArn;
  }

  const site = new SecureBucket(stack, 'Site');
  const api = new SecureApi(stack, 'Api', { description: 'Storefront catalogue API, reachable only through the distribution' });
  const catalog = new SecureFunction(stack, 'Catalog', { entry: path.join(__dirname, 'handlers', 'catalog.ts'), handler: 'list' });
  api.addRoute(HttpMethod.GET, '/api/products', catalog, {
    authorization: ApiAuthorization.none({ reason: 'public product catalogue, read-only; reachable only through the distribution and its WAF' }),
  });

  const cdn = new SecureDistribution(stack, 'Cdn', { defaultOrigin: EdgeOrigin.bucket(site), webAclArn });
  cdn.addBehavior('/api/*', EdgeOrigin.api(api));
}

if (require.main === module) {
  buildApp().synth();
}
