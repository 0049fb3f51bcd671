// The orders service behind the example's SecureApi, bundled by SecureFunction's `entry` (esbuild; the runtime's AWS SDK v3
// stays external). The function receives only the payment key's ARN (PAYMENT_API_KEY_SECRET_ARN), never its value, and
// the table's name; API Gateway has already authorized the caller and validated the body.
import { randomUUID } from 'crypto';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

interface ApiEvent {
  readonly body?: string | null;
  readonly pathParameters?: Record<string, string | undefined> | null;
}

interface ApiResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const secrets = new SecretsManagerClient({});
const dynamodb = new DynamoDBClient({});
let cachedKey: string | undefined;

async function paymentKey(): Promise<string> {
  if (cachedKey === undefined) {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.PAYMENT_API_KEY_SECRET_ARN }));
    cachedKey = out.SecretString ?? '';
  }
  return cachedKey;
}

const json = (statusCode: number, body: unknown): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});

export const create = async (event: ApiEvent): Promise<ApiResult> => {
  const order = JSON.parse(event.body ?? '{}') as { sku: string; quantity: number };
  const id = randomUUID();
  const charge = await fetch(`${process.env.PAYMENT_API_URL}/charges`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${await paymentKey()}`, 'content-type': 'application/json', 'idempotency-key': id },
    body: JSON.stringify({ sku: order.sku, quantity: order.quantity }),
  });
  if (!charge.ok) {
    return json(502, { message: 'payment declined' });
  }
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { id: { S: id }, sku: { S: order.sku }, quantity: { N: String(order.quantity) } },
    ConditionExpression: 'attribute_not_exists(id)',
  }));
  return json(201, { id });
};

export const get = async (event: ApiEvent): Promise<ApiResult> => {
  const id = event.pathParameters?.id ?? '';
  const out = await dynamodb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: id } } }));
  return out.Item ? json(200, { id: out.Item.id.S, sku: out.Item.sku.S, quantity: Number(out.Item.quantity.N) }) : json(404, { message: 'not found' });
};

export const health = async (): Promise<ApiResult> => json(200, { status: 'ok' });
