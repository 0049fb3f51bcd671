/** The plain aws-cdk-lib constructs `SecureDefaults` hardens. */
export enum HardenedConstruct {
  /** `dynamodb.Table`: the stack key, point-in-time recovery, deletion protection. */
  TABLE = 'dynamodb.Table',
  /** `dynamodb.TableV2`: the stack key, point-in-time recovery, deletion protection. */
  TABLE_V2 = 'dynamodb.TableV2',
  /** `sqs.Queue`: the stack key (admitting the services its policy lets send), TLS only, a dead-letter queue. */
  QUEUE = 'sqs.Queue',
  /** `sns.Topic`: the stack key (admitting the services its policy lets publish, and the alarms that notify it), TLS only. */
  TOPIC = 'sns.Topic',
  /** `secretsmanager.Secret`: the stack key; rotation is the owner's decision and is reported. */
  SECRET = 'secretsmanager.Secret',
  /** `logs.LogGroup`: the stack key (its retention stays aws-cdk-lib's two-year default unless set). */
  LOG_GROUP = 'logs.LogGroup',
  /** `s3.Bucket`: TLS 1.2 only, no public access, versioning, access logs (encryption stays S3's default SSE-S3). */
  BUCKET = 's3.Bucket',
  /** `lambda.Function` (and so `NodejsFunction`): own log group, scoped logs, encrypted environment, tracing, dead-letter queue, timeout, memory. */
  FUNCTION = 'lambda.Function',
  /** `apigateway.RestApi` (and so `LambdaRestApi`): IAM authorization, a request validator, a web ACL, throttling, logs, tracing. */
  REST_API = 'apigateway.RestApi',
}

/** One default `SecureDefaults` fills when it is unset. */
export enum HardeningControl {
  /** A table (Table or TableV2) encrypted with the stack key. */
  TABLE_ENCRYPTION = 'table.encryption',
  /** A table's point-in-time recovery. */
  TABLE_POINT_IN_TIME_RECOVERY = 'table.pointInTimeRecovery',
  /** A table's deletion protection. */
  TABLE_DELETION_PROTECTION = 'table.deletionProtection',
  /** A queue encrypted with the stack key, whose policy lets the services the queue admits (S3, SNS, EventBridge) use it. */
  QUEUE_ENCRYPTION = 'queue.encryption',
  /** A queue that accepts TLS requests only. */
  QUEUE_TLS_ONLY = 'queue.enforceSSL',
  /** A queue's dead-letter queue (5 receives), unless the queue is itself a dead-letter target. */
  QUEUE_DEAD_LETTER_QUEUE = 'queue.deadLetterQueue',
  /** A topic encrypted with the stack key, whose policy lets the services the topic admits and CloudWatch alarms use it. */
  TOPIC_ENCRYPTION = 'topic.encryption',
  /** A topic that accepts TLS requests only. */
  TOPIC_TLS_ONLY = 'topic.enforceSSL',
  /** A secret encrypted with the stack key. */
  SECRET_ENCRYPTION = 'secret.encryptionKey',
  /** A log group encrypted with the stack key. */
  LOG_GROUP_ENCRYPTION = 'logGroup.encryptionKey',
  /** A bucket that accepts TLS 1.2 requests only. */
  BUCKET_TLS_ONLY = 'bucket.enforceSSL',
  /** A bucket with all four public access blocks and bucket-owner object ownership (no ACLs). */
  BUCKET_NO_PUBLIC_ACCESS = 'bucket.blockPublicAccess',
  /** A bucket that keeps object versions. */
  BUCKET_VERSIONING = 'bucket.versioned',
  /** A bucket's server access logs, delivered to the stack's access-log bucket. */
  BUCKET_ACCESS_LOGS = 'bucket.accessLogs',
  /** A function's own encrypted log group with the profile's retention, and a role that writes only there (no AWSLambdaBasicExecutionRole). */
  FUNCTION_LOGS = 'function.logGroup',
  /** A function's environment encrypted with the stack key. */
  FUNCTION_ENCRYPTION = 'function.environmentEncryption',
  /** A function's active X-Ray tracing. */
  FUNCTION_TRACING = 'function.tracing',
  /** A function's encrypted dead-letter queue for failed asynchronous invocations. */
  FUNCTION_DEAD_LETTER_QUEUE = 'function.deadLetterQueue',
  /** A function's explicit timeout and memory (the Secure* defaults, 10 s and 256 MB). */
  FUNCTION_LIMITS = 'function.limits',
  /** A REST API's methods authorized with AWS IAM (SigV4) unless the app chose an authorizer. */
  API_AUTHORIZATION = 'api.authorization',
  /** A REST API request validator (body and parameters) on every method without one. */
  API_REQUEST_VALIDATION = 'api.requestValidator',
  /** A REST API stage behind a SecureWebAcl (managed rule groups and the per-IP rate rule). */
  API_WEB_ACL = 'api.webAcl',
  /** A REST API stage with throttling, JSON access logs, execution logs without data trace, metrics and tracing; the stack's account logging role. */
  API_STAGE = 'api.stage',
  /** Exact actions instead of the wildcards of aws-cdk-lib's `grant*()` methods (`s3:GetObject*`, `kms:GenerateDataKey*`, …). */
  GRANT_EXACT_ACTIONS = 'grants.exactActions',
}
