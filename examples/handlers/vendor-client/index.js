// Calls a third-party API with a key read at run time from Secrets Manager.
// The function receives only the secret's ARN (VENDOR_API_KEY_SECRET_ARN), never its value.
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const client = new SecretsManagerClient({});
let cachedKey;

async function apiKey() {
  if (cachedKey === undefined) {
    const out = await client.send(new GetSecretValueCommand({ SecretId: process.env.VENDOR_API_KEY_SECRET_ARN }));
    cachedKey = out.SecretString;
  }
  return cachedKey;
}

exports.handler = async (event) => {
  const key = await apiKey();
  const response = await fetch(process.env.VENDOR_API_URL + '/quotes', {
    method: 'POST',
    headers: { 'authorization': `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ items: event.items ?? [] }),
  });
  return { status: response.status };
};
