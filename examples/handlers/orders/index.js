// The orders service behind the example's SecureApi.
// The function receives only the payment key's ARN (PAYMENT_API_KEY_SECRET_ARN), never its value,
// and the table's name; API Gateway has already authorized the caller and validated the body.
const { randomUUID } = require('crypto');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { DynamoDBClient, GetItemCommand, PutItemCommand } = require('@aws-sdk/client-dynamodb');

const secrets = new SecretsManagerClient({});
const dynamodb = new DynamoDBClient({});
let cachedKey;

async function paymentKey() {
  if (cachedKey === undefined) {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.PAYMENT_API_KEY_SECRET_ARN }));
    cachedKey = out.SecretString;
  }
  return cachedKey;
}

const json = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  body: JSON.stringify(body),
});

exports.create = async (event) => {
  const order = JSON.parse(event.body);
  const id = randomUUID();
  const charge = await fetch(process.env.PAYMENT_API_URL + '/charges', {
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

exports.get = async (event) => {
  const out = await dynamodb.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { id: { S: event.pathParameters.id } } }));
  return out.Item ? json(200, { id: out.Item.id.S, sku: out.Item.sku.S, quantity: Number(out.Item.quantity.N) }) : json(404, { message: 'not found' });
};

exports.health = async () => json(200, { status: 'ok' });
