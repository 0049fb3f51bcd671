// The public API, name by name: helpers the constructs share stay internal.
export { SecurityProfile, PROFILE_CONTEXT_KEY } from './core/profile';
export { type Justification, Toggle, MIN_REASON_LENGTH, ACKNOWLEDGEMENT_PREFIX } from './core/justification';
export { StackKey, STACK_KEY_ID } from './core/encryption';
export { DEAD_LETTER_RETENTION } from './core/dead-letter-queue';
export { DEFAULT_LOG_RETENTION, REGULATED_MIN_LOG_RETENTION_DAYS } from './core/log-group';
export { Compliance, type EnforceOptions } from './compliance/compliance';
export { AegisChecks, AEGIS_PACK_NAME } from './compliance/packs/aegis-checks';
export { SecureFunction, type SecureFunctionProps, DEFAULT_TIMEOUT, DEFAULT_MEMORY_SIZE, SECRET_ARN_ENV_SUFFIX } from './function/secure-function';
export { SecureSecret, type SecureSecretProps, SecretRotation, DEFAULT_ROTATION_INTERVAL } from './secrets/secure-secret';
export {
  ApiAuthorization,
  type CognitoAuthorizationOptions,
  type LambdaTokenAuthorizationOptions,
  type LambdaRequestAuthorizationOptions,
  DEFAULT_AUTHORIZER_CACHE_TTL,
  MAX_AUTHORIZER_CACHE_TTL,
  DEFAULT_TOKEN_SOURCE,
} from './api/authorization';
export { type SecureApiCorsOptions, DEFAULT_CORS_MAX_AGE } from './api/cors';
export { ManagedRuleGroup, type ManagedRuleGroupProps, BotControlInspectionLevel } from './api/managed-rule-group';
export {
  SecureWebAcl,
  type SecureWebAclProps,
  WebAclScope,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RATE_LIMIT_WINDOW,
  MIN_RATE_LIMIT,
  MAX_RATE_LIMIT,
  RATE_LIMIT_WINDOWS_SECONDS,
  INCLUDED_WEB_ACL_CAPACITY,
  MAX_WEB_ACL_CAPACITY,
  DEFAULT_REDACTED_HEADERS,
  WAF_LOG_GROUP_PREFIX,
} from './api/secure-web-acl';
export {
  SecureApi,
  type SecureApiProps,
  type SecureApiDomainOptions,
  type SecureRouteOptions,
  type SecureUsagePlanOptions,
  type SecureApiKeyOptions,
  type ApiThrottling,
  DEFAULT_THROTTLING,
  DEFAULT_STAGE_NAME,
  SECURITY_RESPONSE_HEADERS,
  REGULATED_CACHE_SIZE,
} from './api/secure-api';
export {
  SecureBucket,
  type SecureBucketProps,
  type ObjectCreatedOptions,
  DEFAULT_NONCURRENT_VERSION_EXPIRATION,
  OBJECT_EVENT_RETRY_ATTEMPTS,
  OBJECT_EVENT_MAX_AGE,
} from './data/secure-bucket';
export { BucketReplication, type BucketReplicationOptions } from './data/bucket-replication';
export { type AccessLogsOptions, ACCESS_LOGS_BUCKET_ID } from './data/access-logs-bucket';
export {
  SecureQueue,
  type SecureQueueProps,
  type SecureQueueConsumerOptions,
  DEFAULT_VISIBILITY_TIMEOUT,
  DEFAULT_QUEUE_RETENTION,
  DEFAULT_MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_FACTOR,
} from './data/secure-queue';
export { SecureTable, type SecureTableProps, TARGET_UTILIZATION_PERCENT } from './data/secure-table';
export { BACKUP_PLAN_ID, BACKUP_RETENTION } from './data/backup-plan';
export { SecureTopic, type SecureTopicProps, type SecureTopicSubscriberOptions } from './data/secure-topic';
export { AlarmSetting, type AlarmOptions } from './monitoring/alarm-setting';
export { Monitoring, type MonitoringDashboardOptions, METRICS_PER_ALARM } from './monitoring/monitoring';
