// The public API, name by name: helpers the constructs share stay internal, and defaults are static
// members of their classes (e.g. `SecureFunction.DEFAULT_TIMEOUT`) so every jsii language sees them.
export { SecurityProfile } from './core/profile';
export { type Justification, Toggle } from './core/justification';
export { StackKey } from './core/encryption';
export { Compliance, type EnforceOptions } from './compliance/compliance';
export { AegisChecks } from './compliance/packs/aegis-checks';
export { ThreatModel, type ThreatModelSummary } from './threat-model/threat-model';
export { SecureDefaults, type SecureDefaultsOptions, HardeningSkip } from './hardening/secure-defaults';
export { HardeningControl, HardenedConstruct } from './hardening/controls';
export { SecureFunction, type SecureFunctionProps } from './function/secure-function';
export { BundleFormat, type EntryBundling } from './function/bundling';
export { type FunctionScheduleOptions, type FunctionEventRuleOptions } from './function/event-rules';
export { SecureSecret, type SecureSecretProps, SecretRotation } from './secrets/secure-secret';
export {
  ApiAuthorization,
  type CognitoAuthorizationOptions,
  type LambdaTokenAuthorizationOptions,
  type LambdaRequestAuthorizationOptions,
} from './api/authorization';
export { type SecureApiCorsOptions } from './api/cors';
export { HttpMethod } from './api/route';
export { ManagedRuleGroup, type ManagedRuleGroupProps, BotControlInspectionLevel } from './api/managed-rule-group';
export { SecureWebAcl, type SecureWebAclProps, WebAclScope } from './api/secure-web-acl';
export {
  SecureApi,
  type SecureApiProps,
  type SecureApiDomainOptions,
  type SecureRouteOptions,
  type SecureUsagePlanOptions,
  type SecureApiKeyOptions,
  type ApiThrottling,
} from './api/secure-api';
export { SecureBucket, type SecureBucketProps, type ObjectCreatedOptions } from './data/secure-bucket';
export { SecureAuditTrail, type SecureAuditTrailProps, type RecordDataEventsOptions } from './audit/secure-audit-trail';
export { BucketReplication, type BucketReplicationOptions } from './data/bucket-replication';
export { type AccessLogsOptions } from './data/access-logs-bucket';
export { SecureQueue, type SecureQueueProps, type SecureQueueConsumerOptions } from './data/secure-queue';
export { type StreamConsumerOptions } from './data/stream-consumer';
export { SecureTable, type SecureTableProps } from './data/secure-table';
export { SecureStream, type SecureStreamProps, type SecureStreamConsumerOptions } from './data/secure-stream';
export { SecureTopic, type SecureTopicProps, type SecureTopicSubscriberOptions } from './data/secure-topic';
export { AlarmSetting, type AlarmOptions } from './monitoring/alarm-setting';
export { Monitoring, type MonitoringDashboardOptions } from './monitoring/monitoring';
export { SecurityChange } from './monitoring/security-changes';
export { EdgeOrigin, type HttpApiOriginOptions } from './edge/edge-origin';
export { EdgeGeoRestriction } from './edge/geo-restriction';
export { SecureDistribution, type SecureDistributionProps, type SecureBehaviorOptions } from './edge/secure-distribution';
export { SecureEdgeFunction, type SecureEdgeFunctionProps } from './function/secure-edge-function';
