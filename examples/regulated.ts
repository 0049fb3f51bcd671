/**
 * Example: the orders service as a regulated team deploys it, under
 * `SecurityProfile.REGULATED` (AwsSolutions, Serverless, Aegis, HIPAA,
 * NIST 800-53 R5 and PCI DSS 3.2.1 packs), bound to an account and region,
 * in a VPC the network team owns (imported, not created here), with uploads
 * replicated to a bucket in another region.
 *
 * `npx projen synth:example` synthesizes it with the CDK CLI after
 * `examples/app.ts`; the synth fails on any finding.
 */
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  BucketReplication,
  Compliance,
  HttpMethod,
  Monitoring,
  SecretRotation,
  SecureApi,
  SecureBucket,
  SecureFunction,
  SecureSecret,
  SecureTable,
  SecurityProfile,
} from '../src';

/** Where the regulated stack deploys. */
export const REGULATED_ENV = { account: '123456789012', region: 'eu-west-1' };
/** The replica bucket and its key, owned by the backup account in another region. */
export const REPLICA = {
  bucketArn: 'arn:aws:s3:::orders-replica-eu-central-1',
  keyArn: 'arn:aws:kms:eu-central-1:210987654321:key/0b7c1d6e-2f3a-4b5c-8d9e-0a1b2c3d4e5f',
};

export function buildRegulatedApp(props: AppProps = {}): App {
  const app = new App(props);
  Compliance.of(app).enforce({ profile: SecurityProfile.REGULATED });

  const stack = new Stack(app, 'RegulatedOrders', {
    env: REGULATED_ENV,
    description: 'cdk-aegis example: the orders service under the REGULATED profile, in an imported VPC',
  });

  // The network team's VPC: private subnets with endpoints, flow logs and closed default security group live in their stack.
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'SharedVpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    privateSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });

  const replication = (): BucketReplication => BucketReplication.to(REPLICA.bucketArn, { destinationKeyArn: REPLICA.keyArn });
  SecureBucket.configureAccessLogs(stack, { replication: BucketReplication.to('arn:aws:s3:::orders-access-logs-replica') });

  Monitoring.of(stack).notifyEmail('orders-oncall@example.com');
  // Required under REGULATED: the alarm channel's own failures reach a second channel.
  Monitoring.of(stack).fallbackEmail('platform-oncall@example.com');

  const vendorKey = new SecureSecret(stack, 'PaymentApiKey', {
    description: 'API key issued by the payment provider; set its value out of band',
    rotation: SecretRotation.none({ reason: 'issued by the payment provider; rotated in its portal, then updated here' }),
  });
  const orders = new SecureTable(stack, 'Orders', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const receipts = new SecureBucket(stack, 'Receipts', { replication: replication() });

  // TypeScript handlers, bundled with esbuild at synth (an SBOM per function in cdk.out/sbom/).
  const entry = path.join(__dirname, 'handlers', 'orders.ts');
  const createOrder = new SecureFunction(stack, 'CreateOrder', {
    entry,
    handler: 'create',
    vpc,
    reservedConcurrentExecutions: 10,
    environment: { TABLE_NAME: orders.tableName, RECEIPTS_BUCKET: receipts.bucketName },
    secrets: { PAYMENT_API_KEY: vendorKey },
  });
  orders.grantWriteData(createOrder);
  receipts.grantPut(createOrder, 'receipts/*');

  const getOrder = new SecureFunction(stack, 'GetOrder', {
    entry,
    handler: 'get',
    vpc,
    reservedConcurrentExecutions: 10,
    environment: { TABLE_NAME: orders.tableName },
  });
  orders.grantReadData(getOrder);

  const api = new SecureApi(stack, 'Api', { description: 'Orders API (IAM-authorized, regulated)' });
  api.addRoute(HttpMethod.POST, '/orders', createOrder);
  api.addRoute(HttpMethod.GET, '/orders/{id}', getOrder);
  return app;
}

if (require.main === module) {
  buildRegulatedApp().synth();
}
