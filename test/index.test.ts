import * as aegis from '../src';

describe('the public API', () => {
  test('exports exactly these names (internal helpers stay internal), each defined', () => {
    const exported = Object.entries(aegis);
    expect(exported.filter(([, value]) => value === undefined)).toEqual([]);
    expect(exported.map(([name]) => name).sort()).toEqual([
      'ACKNOWLEDGEMENT_PREFIX',
      'ApiAuthorization',
      'BotControlInspectionLevel',
      'Compliance',
      'DEAD_LETTER_RETENTION',
      'DEFAULT_AUTHORIZER_CACHE_TTL',
      'DEFAULT_CORS_MAX_AGE',
      'DEFAULT_LOG_RETENTION',
      'DEFAULT_MEMORY_SIZE',
      'DEFAULT_RATE_LIMIT',
      'DEFAULT_RATE_LIMIT_WINDOW',
      'DEFAULT_REDACTED_HEADERS',
      'DEFAULT_ROTATION_INTERVAL',
      'DEFAULT_STAGE_NAME',
      'DEFAULT_THROTTLING',
      'DEFAULT_TIMEOUT',
      'DEFAULT_TOKEN_SOURCE',
      'INCLUDED_WEB_ACL_CAPACITY',
      'MAX_AUTHORIZER_CACHE_TTL',
      'MAX_RATE_LIMIT',
      'MAX_WEB_ACL_CAPACITY',
      'MIN_RATE_LIMIT',
      'MIN_REASON_LENGTH',
      'ManagedRuleGroup',
      'PROFILE_CONTEXT_KEY',
      'RATE_LIMIT_WINDOWS_SECONDS',
      'REGULATED_CACHE_SIZE',
      'REGULATED_MIN_LOG_RETENTION_DAYS',
      'SECRET_ARN_ENV_SUFFIX',
      'SECURITY_RESPONSE_HEADERS',
      'STACK_KEY_ID',
      'SecretRotation',
      'SecureApi',
      'SecureFunction',
      'SecureSecret',
      'SecureWebAcl',
      'SecurityProfile',
      'StackKey',
      'Toggle',
      'WAF_LOG_GROUP_PREFIX',
      'WebAclScope',
    ]);
  });
});
