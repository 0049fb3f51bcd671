import { Aws, Fn, Lazy, SecretValue, Stack, Token } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { detectSecret, findDynamicSecretReference } from '../../src/core/private/secret-detector';

// All secret values below are fake: they only have the shape of real credentials.
const PEM_BODY = 'MIIEowIBAAKCAQEAfakefakefakefakefakefakefakefake\n-----END';

const SECRET_LOOKING: ReadonlyArray<readonly [string, string]> = [
  // AWS credentials
  ['AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE'],
  ['STS_KEY', 'ASIAIOSFODNN7EXAMPLE'],
  ['UPSTREAM_KEY_ID', 'prefix AKIAIOSFODNN7EXAMPLE suffix'],
  ['AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['UPSTREAM', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  // PEM private keys
  ['TLS_KEY', `-----BEGIN RSA PRIVATE KEY-----\n${PEM_BODY} RSA PRIVATE KEY-----`],
  ['EC_KEY', `-----BEGIN EC PRIVATE KEY-----\n${PEM_BODY} EC PRIVATE KEY-----`],
  ['SSH_KEY', `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY} OPENSSH PRIVATE KEY-----`],
  ['CERT_KEY', `-----BEGIN PRIVATE KEY-----\n${PEM_BODY} PRIVATE KEY-----`],
  ['PGP', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nfake\n-----END PGP PRIVATE KEY BLOCK-----'],
  // provider tokens
  ['GITHUB', 'ghp_FAKEfakeFAKEfakeFAKEfakeFAKEfake1234'],
  ['GH_APP', 'ghs_FAKEfakeFAKEfakeFAKEfakeFAKEfake1234'],
  ['GITHUB_PAT_VALUE', 'github_pat_11FAKEFAKE0fakefake_FAKEfakeFAKEfake'],
  ['GITLAB', 'glpat-FAKEfake-FAKE_fake12'],
  ['SLACK_BOT', 'xoxb-123456789012-1234567890123-FAKEfakeFAKEfake'],
  ['SLACK_HOOK', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  ['STRIPE', 'sk_live_FAKEfakeFAKEfake1234'],
  ['STRIPE_RESTRICTED', 'rk_test_FAKEfakeFAKEfake1234'],
  ['GOOGLE_MAPS', 'AIzaSyFAKEfakeFAKEfakeFAKEfakeFAKEfake1'],
  ['SENDGRID', 'SG.FAKEfakeFAKEfake12.FAKEfakeFAKEfake34'],
  ['NPM', 'npm_FAKEfakeFAKEfakeFAKEfakeFAKEfake1234'],
  ['OPENAI', 'sk-FAKEfakeFAKEfakeFAKEfake1234'],
  ['OPENAI_PROJECT', 'sk-proj-FAKEfake_FAKE-fakeFAKEfake1234'],
  ['ANTHROPIC', 'sk-ant-api03-FAKEfakeFAKEfakeFAKEfake1234'],
  ['TWILIO', 'SK0123456789abcdef0123456789abcdef'],
  [
    'SESSION',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.fakeSignatureFAKEsignature',
  ],
  // credentials in connection strings
  ['DATABASE_URL', 'postgres://app:hunter2@db.example.com:5432/orders'],
  ['MONGO_URI', 'mongodb+srv://user:pass@cluster0.example.mongodb.net/app'],
  ['BROKER', 'amqps://guest:guest@mq.example.com'],
  ['SQLSERVER', 'Server=db.example.com;Database=orders;User Id=app;Password=hunter2;'],
  ['MYSQL_DSN', 'pwd=hunter2;server=db.example.com'],
  // connection strings: URL user-info, with or without a user name, anywhere in the value
  ['REDIS_URL', 'redis://:s3cr3t@cache.example.com:6379/0'],
  ['REDIS_TLS', 'rediss://default:s3cr3t@cache.example.com:6380'],
  ['PG', 'postgresql://app:hunter2@db.example.com/orders?sslmode=require'],
  ['MYSQL', 'mysql://root:root@localhost:3306/app'],
  ['AMQP', 'amqp://guest:guest@localhost:5672/vhost'],
  ['MONGO_ATLAS', 'mongodb+srv://u:p@cluster0.example.mongodb.net/app?retryWrites=true'],
  ['DB_JSON', '{"primary":"postgres://app:hunter2@db.example.com/orders"}'],
  ['DSN', 'dsn=postgres://app:hunter2@db.example.com/orders'],
  ['ENCODED', 'postgres://app:p%40ss%2Fword@db.example.com/orders'],
  // connection strings: key=value entries, case-insensitive
  ['MSSQL', 'Server=tcp:db.example.com,1433;Initial Catalog=orders;User ID=app;Password=hunter2;Encrypt=true'],
  ['MSSQL_USER_FIRST', 'User ID=app;Password=hunter2'],
  ['MSSQL_SPACED', 'Data Source=db; Password = hunter2 ;'],
  ['MSSQL_QUOTED', 'Data Source=db;Password="p;w0rd";'],
  ['MSSQL_UPPER', 'PASSWORD=hunter2;SERVER=db.example.com'],
  ['ODBC', 'Driver={ODBC Driver 18 for SQL Server};Server=db;Uid=app;Pwd=hunter2;'],
  ['AZURE_STORAGE', 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=ZmFrZWtleWZha2VrZXk=;EndpointSuffix=core.windows.net'],
  ['SERVICE_BUS', 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=ZmFrZQ=='],
  ['STORAGE_SAS', 'BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=ZmFrZQ%3D%3D'],
  ['LIBPQ', 'host=db.example.com port=5432 user=app password=hunter2 dbname=orders'],
  ['JDBC', 'jdbc:postgresql://db.example.com:5432/orders?user=app&password=hunter2'],
  ['SAS_URL', 'https://acct.blob.core.windows.net/c?sv=2022-11-02&se=2030-01-01&sig=ZmFrZQ%3D%3D'],
  ['OAUTH', 'client_id=app;client secret=shhh-dont-tell'],
  // dynamic references unwrapped into configuration
  ['DB_CONFIG', 'host=db;password={{resolve:secretsmanager:prod/db:SecretString:password}}'],
  ['RAW_SECRET', '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:x}}'],
  ['PARAM', '{{resolve:ssm-secure:/prod/db/password:1}}'],
  // literal values under names that announce a secret
  ['DB_PASSWORD', 'hunter2'],
  ['MYSQL_PASSWD', 'correct horse battery staple'],
  ['DB_PWD', 'letmein'],
  ['API_KEY', 'abc123def'],
  ['APIKEY', 'my-api-key'],
  ['CLIENT_SECRET', 'shhh-dont-tell'],
  ['WEBHOOK_SECRET', 'whsec-local'],
  ['AUTH_TOKEN', 'opaque-token-value'],
  ['PRIVATE_KEY', 'not-really-a-key'],
  ['SIGNING_KEY', 'signing-material'],
  ['ACCESS_KEY', 'minio-access'],
  ['SERVICE_CREDENTIALS', 'user/pass'],
  ['AUTH_KEY', 'k3y'],
  ['JWT_SECRET', 'changeme'],
];

const BENIGN: ReadonlyArray<readonly [string, string]> = [
  // names and identifiers
  ['TABLE_NAME', 'orders-table'],
  ['BUCKET', 'my-app-assets-123456789012-us-east-1'],
  ['QUEUE_URL', 'https://sqs.us-east-1.amazonaws.com/123456789012/orders'],
  ['AWS_REGION_OVERRIDE', 'eu-west-1'],
  ['REQUEST_ID', '3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
  ['ORDER_ID_UPPER', '3F2504E0-4F89-11D3-9A0C-0305E82C3301'],
  // ARNs, including of secrets
  ['TOPIC_ARN', 'arn:aws:sns:us-east-1:123456789012:orders'],
  ['DB_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf'],
  ['STRIPE_SECRET_ARN', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x'],
  ['KEY', 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ['API_TOKEN_PARAM', 'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-token'],
  // numbers, booleans, flags
  ['MAX_RETRIES', '3'],
  ['RATE', '0.25'],
  ['OFFSET', '-1'],
  ['TOKEN_TTL', '300'],
  ['FEATURE_NEW_CHECKOUT', 'true'],
  ['ENABLE_CACHE', 'false'],
  ['FEATURE_FLAGS', 'checkout-v2,dark-mode'],
  ['LOG_LEVEL', 'DEBUG'],
  // URLs without credentials
  ['API_URL', 'https://api.example.com/v1'],
  ['SEARCH', 'https://api.example.com/search?q=orders&limit=10'],
  ['UPSTREAM', 'https://api.example.com:8443/v1'],
  ['CACHE', 'redis://cache.example.com:6379/0'],
  ['REPO', 'ssh://git@github.com:22/org/repo.git'],
  ['NOTIFY', 'https://api.example.com:8443?notify=ops@example.com'],
  ['TOKEN_ENDPOINT', 'https://auth.example.com/oauth2/token'],
  ['DATABASE_URL', 'postgres://db.example.com:5432/orders'],
  ['DB_USER_ONLY', 'postgres://app@db.example.com:5432/orders'],
  ['BROKER', 'amqps://mq.example.com:5671/vhost'],
  ['MONGO_IAM', 'mongodb+srv://cluster0.example.mongodb.net/app?authMechanism=MONGODB-AWS'],
  ['IPV6', 'http://[::1]:8080/health'],
  // connection strings without a secret, or with a placeholder or an empty one
  ['DB_TEMPLATE', 'postgres://${DB_USER}:${DB_PASSWORD}@db.example.com/orders'],
  ['DB_TEMPLATE_ENCODED', 'postgres://app:%24%7BDB_PASSWORD%7D@db.example.com/orders'],
  ['SQLSERVER', 'Server=db.example.com;Database=orders;User Id=app;Password=;'],
  ['SQLSERVER_TEMPLATE', 'Server=db.example.com;User Id=app;Password=${DB_PASSWORD};'],
  ['SQLSERVER_QUOTED_EMPTY', "Server=db.example.com;Password='';"],
  ['SQLSERVER_MASKED', 'Server=db.example.com;Password=*****;'],
  ['SQLSERVER_IAM', 'Data Source=db;Initial Catalog=orders;Integrated Security=true;Encrypt=true'],
  ['LIBPQ', 'host=db.example.com port=5432 dbname=orders sslmode=require'],
  ['LIBPQ_EMPTY', 'host=db.example.com password= dbname=orders'],
  ['AZURE_STORAGE', 'DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.windows.net'],
  ['SERVICE_BUS', 'Endpoint=sb://ns.servicebus.windows.net/;EntityPath=orders'],
  ['DEV_STORAGE', 'UseDevelopmentStorage=true'],
  ['LOGIN_POLICY', 'minLength=12;requireSymbols=true;passwordHistory=5'],
  ['SETTINGS', 'region=eu-west-1;retries=3;timeout=30'],
  ['API_TOKEN', '${TOKEN}'],
  ['DB_PASSWORD_TEMPLATE', '${DB_PASSWORD}'],
  // hashes and encodings
  ['COMMIT', 'e83c516'],
  ['COMMIT_SHA', 'e83c5163316f89bfbde7d9ab23ca2e25604af290'],
  ['GREETING_B64', 'aGVsbG8gd29ybGQ='],
  // names mentioning secrets that hold settings, not secrets
  ['SECRET_NAME', 'prod/db'],
  ['API_KEY_HEADER', 'x-api-key'],
  ['PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED', 'true'],
  ['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', '2773'],
  ['PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS', '3'],
  ['PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL', 'info'],
  ['SECRETS_MANAGER_TIMEOUT_MILLIS', '1000'],
  ['DB_PASSWORD', ''],
  // everything else
  ['NODE_OPTIONS', '--enable-source-maps'],
  ['POWERTOOLS_SERVICE_NAME', 'orders'],
  ['SUPPORT_EMAIL', 'ops@example.com'],
  ['CONFIG', '{"retries":3,"endpoint":"https://api.example.com","features":{"beta":false}}'],
  ['SCHEDULE', 'cron(0 12 * * ? *)'],
  ['EMPTY', ''],
  ['LAUNCH_DATE', '2024-01-31'],
  ['STARTED_AT', '2024-01-31T12:00:00Z'],
];

describe('detectSecret', () => {
  test('the corpora are large enough', () => {
    expect(SECRET_LOOKING.length).toBeGreaterThanOrEqual(35);
    expect(BENIGN.length).toBeGreaterThanOrEqual(35);
  });

  test.each(SECRET_LOOKING)('rejects %s=%j', (name, value) => {
    const reason = detectSecret(name, value);

    expect(typeof reason).toBe('string');
    expect(reason).not.toHaveLength(0);
  });

  test.each(BENIGN)('accepts %s=%j', (name, value) => {
    expect(detectSecret(name, value)).toBeUndefined();
  });

  test.each([
    ['redis://:s3cr3t@cache.example.com:6379', /password in the URL/],
    ['Server=db;Pwd=hunter2', /`Pwd=`/],
    ['Endpoint=sb://ns/;SharedAccessKeyName=Root;SharedAccessKey=ZmFrZQ==', /`SharedAccessKey=`/],
  ])('names the connection-string part of %j', (value, reason) => {
    expect(detectSecret('CONNECTION', value)).toMatch(reason);
  });

  test('reports a dynamic reference as such', () => {
    expect(detectSecret('X', '{{resolve:secretsmanager:prod/db}}')).toContain('dynamic reference');
    expect(detectSecret('X', '{{resolve:ssm-secure:/prod/db}}')).toContain('dynamic reference');
  });

  describe('token safety', () => {
    const stack = new Stack();

    test.each([
      ['Token.asString', Token.asString({ 'Fn::GetAtt': ['Db', 'Password'] })],
      ['Lazy.string', Lazy.string({ produce: () => 'hunter2' })],
      ['Fn.importValue', Fn.importValue('X')],
      ['a token inside a literal', `prefix-${Fn.importValue('X')}`],
      ['stack.stackId', stack.stackId],
      ['Aws.STACK_NAME', Aws.STACK_NAME],
    ])('accepts %s under DB_PASSWORD', (_, value) => {
      expect(Token.isUnresolved(value)).toBe(true);
      expect(detectSecret('DB_PASSWORD', value)).toBeUndefined();
    });
  });
});

describe('findDynamicSecretReference', () => {
  let stack: Stack;
  beforeEach(() => {
    stack = new Stack();
  });

  test('rejects the unwrapped value of a Secret', () => {
    const secret = new secretsmanager.Secret(stack, 'S');

    expect(findDynamicSecretReference(stack, secret.secretValue.unsafeUnwrap())).toContain('dynamic reference');
  });

  test('rejects a JSON field of a Secret', () => {
    const secret = new secretsmanager.Secret(stack, 'S');

    expect(findDynamicSecretReference(stack, secret.secretValueFromJson('password').unsafeUnwrap())).toContain(
      'dynamic reference',
    );
  });

  test('rejects SecretValue.secretsManager', () => {
    expect(findDynamicSecretReference(stack, SecretValue.secretsManager('name').unsafeUnwrap())).toContain(
      'dynamic reference',
    );
  });

  test('rejects SecretValue.ssmSecure', () => {
    expect(findDynamicSecretReference(stack, SecretValue.ssmSecure('/prod/db/password').unsafeUnwrap())).toContain(
      'dynamic reference',
    );
  });

  test('rejects a secret joined into a larger string', () => {
    const value = Fn.join('', ['x', SecretValue.secretsManager('n').unsafeUnwrap()]);

    expect(findDynamicSecretReference(stack, value)).toContain('dynamic reference');
  });

  test('rejects a literal dynamic reference', () => {
    expect(findDynamicSecretReference(stack, 'a{{resolve:secretsmanager:n}}')).toContain('dynamic reference');
  });

  test('accepts plain text', () => {
    expect(findDynamicSecretReference(stack, 'plain-text')).toBeUndefined();
  });

  test('accepts a plain token', () => {
    // stack.stackName is a literal for a stack with a fixed name; stackId is always a token
    expect(Token.isUnresolved(stack.stackId)).toBe(true);
    expect(findDynamicSecretReference(stack, stack.stackId)).toBeUndefined();
    expect(findDynamicSecretReference(stack, Aws.STACK_NAME)).toBeUndefined();
    expect(findDynamicSecretReference(stack, stack.stackName)).toBeUndefined();
  });

  test('accepts an imported value', () => {
    expect(findDynamicSecretReference(stack, Fn.importValue('X'))).toBeUndefined();
  });
});
