import * as aegis from '../src';

describe('the public API', () => {
  test('exports exactly these names (internal helpers stay internal), each defined', () => {
    const exported = Object.entries(aegis);
    expect(exported.filter(([, value]) => value === undefined)).toEqual([]);
    expect(exported.map(([name]) => name).sort()).toEqual([
      'AegisChecks',
      'AlarmSetting',
      'ApiAuthorization',
      'BotControlInspectionLevel',
      'BucketReplication',
      'BundleFormat',
      'Compliance',
      'EdgeGeoRestriction',
      'EdgeOrigin',
      'HardenedConstruct',
      'HardeningControl',
      'HardeningSkip',
      'HttpMethod',
      'ManagedRuleGroup',
      'Monitoring',
      'SecretRotation',
      'SecureApi',
      'SecureAuditTrail',
      'SecureBucket',
      'SecureDefaults',
      'SecureDistribution',
      'SecureEdgeFunction',
      'SecureFunction',
      'SecureQueue',
      'SecureSecret',
      'SecureStream',
      'SecureTable',
      'SecureTopic',
      'SecureWebAcl',
      'SecurityChange',
      'SecurityProfile',
      'StackKey',
      'ThreatModel',
      'Toggle',
      'WebAclScope',
    ]);
  });
});

describe('defaults are static members of their classes, readable from every jsii language', () => {
  test.each([
    ['SecureFunction.DEFAULT_TIMEOUT', aegis.SecureFunction.DEFAULT_TIMEOUT.toSeconds(), 10],
    ['SecureFunction.DEFAULT_MEMORY_SIZE', aegis.SecureFunction.DEFAULT_MEMORY_SIZE, 256],
    ['SecureQueue.DEFAULT_MAX_RECEIVE_COUNT', aegis.SecureQueue.DEFAULT_MAX_RECEIVE_COUNT, 5],
    ['SecureQueue.DEAD_LETTER_RETENTION', aegis.SecureQueue.DEAD_LETTER_RETENTION.toDays(), 14],
    ['SecureWebAcl.DEFAULT_RATE_LIMIT', aegis.SecureWebAcl.DEFAULT_RATE_LIMIT, 1000],
    ['SecureApi.DEFAULT_THROTTLING.rateLimit', aegis.SecureApi.DEFAULT_THROTTLING.rateLimit, 100],
    ['SecureBucket.DEFAULT_NONCURRENT_VERSION_EXPIRATION', aegis.SecureBucket.DEFAULT_NONCURRENT_VERSION_EXPIRATION.toDays(), 90],
    ['SecureTable.BACKUP_RETENTION', aegis.SecureTable.BACKUP_RETENTION.toDays(), 35],
    ['SecureSecret.DEFAULT_ROTATION_INTERVAL', aegis.SecureSecret.DEFAULT_ROTATION_INTERVAL.toDays(), 30],
    ['ApiAuthorization.DEFAULT_AUTHORIZER_CACHE_TTL', aegis.ApiAuthorization.DEFAULT_AUTHORIZER_CACHE_TTL.toMinutes(), 5],
    ['Compliance.MIN_REASON_LENGTH', aegis.Compliance.MIN_REASON_LENGTH, 10],
    ['Compliance.PROFILE_CONTEXT_KEY', aegis.Compliance.PROFILE_CONTEXT_KEY, '@cdk-aegis/profile'],
    ['StackKey.CONSTRUCT_ID', aegis.StackKey.CONSTRUCT_ID, 'AegisEncryptionKey'],
    ['AegisChecks.PACK_NAME', aegis.AegisChecks.PACK_NAME, 'Aegis'],
    ['Monitoring.METRICS_PER_ALARM', aegis.Monitoring.METRICS_PER_ALARM, 10],
    ['SecureAuditTrail.DEFAULT_LOG_RETENTION', aegis.SecureAuditTrail.DEFAULT_LOG_RETENTION, 365],
    ['SecureAuditTrail.DEFAULT_LOG_FILE_RETENTION_REGULATED', aegis.SecureAuditTrail.DEFAULT_LOG_FILE_RETENTION_REGULATED.toDays(), 2555],
    ['SecureFunction.DEFAULT_RULE_RETRY_ATTEMPTS', aegis.SecureFunction.DEFAULT_RULE_RETRY_ATTEMPTS, 8],
    ['SecureFunction.DEFAULT_RULE_MAX_EVENT_AGE', aegis.SecureFunction.DEFAULT_RULE_MAX_EVENT_AGE.toHours(), 24],
    ['SecureStream.DEFAULT_RETENTION', aegis.SecureStream.DEFAULT_RETENTION.toHours(), 24],
    ['SecureStream.DEFAULT_CONSUMER_RETRY_ATTEMPTS', aegis.SecureStream.DEFAULT_CONSUMER_RETRY_ATTEMPTS, 3],
    ['SecureStream.DEFAULT_CONSUMER_MAX_RECORD_AGE', aegis.SecureStream.DEFAULT_CONSUMER_MAX_RECORD_AGE.toHours(), 6],
    ['SecureStream.DEFAULT_CONSUMER_BATCH_SIZE', aegis.SecureStream.DEFAULT_CONSUMER_BATCH_SIZE, 100],
  ])('%s', (_name, value, expected) => {
    expect(value).toEqual(expected);
  });
});

describe('static defaults cannot be changed app-wide', () => {
  test.each([
    ['SecureWebAcl.DEFAULT_REDACTED_HEADERS', () => { (aegis.SecureWebAcl.DEFAULT_REDACTED_HEADERS as string[]).length = 0; }],
    ['SecureWebAcl.RATE_LIMIT_WINDOWS_SECONDS', () => { aegis.SecureWebAcl.RATE_LIMIT_WINDOWS_SECONDS.push(1); }],
    ['SecureApi.DEFAULT_THROTTLING', () => { (aegis.SecureApi.DEFAULT_THROTTLING as { rateLimit: number }).rateLimit = 1e9; }],
    ['SecureApi.SECURITY_RESPONSE_HEADERS', () => { delete aegis.SecureApi.SECURITY_RESPONSE_HEADERS['Strict-Transport-Security']; }],
    ['Compliance.DEFAULT_LOG_RETENTION', () => { aegis.Compliance.DEFAULT_LOG_RETENTION.BASELINE = 1; }],
  ])('%s is frozen', (_name, mutate) => {
    expect(mutate).toThrow(TypeError);
  });
});
