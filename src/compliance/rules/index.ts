import { APIGW_DOMAIN_ONLY_ENDPOINT } from './apigw/domain-only-endpoint';
import { APIGW_DOMAIN_TLS } from './apigw/domain-tls';
import { APIGW_STAGE_DATA_TRACE } from './apigw/stage-data-trace';
import { APIGW_STAGE_RATE_LIMITED_WAF } from './apigw/stage-rate-limited-waf';
import { IAM_WILDCARD_STATEMENT } from './iam/wildcard-statement';
import { KMS_ENCRYPTED_DESTINATION } from './kms/encrypted-destination';
import { LAMBDA_ENVIRONMENT_ENCRYPTION } from './lambda/environment-encryption';
import { LAMBDA_ENVIRONMENT_SECRET } from './lambda/environment-secret';
import { LAMBDA_FUNCTION_URL_AUTH } from './lambda/function-url-auth';
import { LAMBDA_OWN_LOG_GROUP } from './lambda/own-log-group';
import { LAMBDA_PERMISSION_SOURCE } from './lambda/permission-source';
import { AegisRule } from './rule';
import { SQS_EVENT_SOURCE_VISIBILITY } from './sqs/event-source-visibility';
import { WAF_WEB_ACL_LOGGING } from './waf/web-acl-logging';

/** Every rule of the Aegis pack, in RULES.md order. @internal */
export const AEGIS_RULES: readonly AegisRule[] = [
  LAMBDA_ENVIRONMENT_ENCRYPTION,
  LAMBDA_ENVIRONMENT_SECRET,
  LAMBDA_OWN_LOG_GROUP,
  LAMBDA_PERMISSION_SOURCE,
  LAMBDA_FUNCTION_URL_AUTH,
  IAM_WILDCARD_STATEMENT,
  APIGW_STAGE_DATA_TRACE,
  APIGW_STAGE_RATE_LIMITED_WAF,
  APIGW_DOMAIN_TLS,
  APIGW_DOMAIN_ONLY_ENDPOINT,
  SQS_EVENT_SOURCE_VISIBILITY,
  KMS_ENCRYPTED_DESTINATION,
  WAF_WEB_ACL_LOGGING,
];
