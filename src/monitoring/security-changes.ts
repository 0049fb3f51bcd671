import { CfnResource, Fn, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { referencedLogicalId } from '../core/private/stack-resources';

/**
 * A kind of change to a stack's resources, made outside CloudFormation, that
 * `Monitoring` reports on the stack's alarm topic.
 */
export enum SecurityChange {
  /** A function's code, configuration, resource policy (permissions), concurrency or URL changed, or it was deleted. */
  FUNCTIONS = 'Functions',
  /** A policy attached to, put on or removed from a role, its trust policy or permissions boundary changed, or it was deleted (IAM events: us-east-1 only). */
  ROLES = 'Roles',
  /** A key disabled, scheduled for deletion, its policy replaced or its rotation turned off. */
  KEYS = 'Keys',
  /** A secret's value, settings or resource policy changed, its rotation cancelled, or it was deleted (its own rotation function excepted). */
  SECRETS = 'Secrets',
  /** A web ACL changed or deleted. */
  WEB_ACLS = 'WebAcls',
  /** A REST API stage changed or deleted. */
  STAGES = 'Stages',
  /** A bucket policy or public access block changed or deleted. */
  BUCKET_POLICIES = 'BucketPolicies',
}

/**
 * The `sourceIPAddress` of CloudFormation's own calls (its deploys), which the rules ignore. AWS sets that
 * field; a caller sets its `userAgent` (any SDK can claim to be CloudFormation), so the rules never trust the latter.
 *
 * @internal
 */
export const CLOUDFORMATION_SOURCE = 'cloudformation.amazonaws.com';

/** EventBridge's default quota on the size of an event pattern, in characters. */
export const MAX_PATTERN_CHARACTERS = 2048;

/** An event-pattern value: a literal, or a matcher such as `{ prefix: 'Update' }`. @internal */
export type PatternValue = string | { [matcher: string]: unknown };

/** One resource a change rule names, the values CloudTrail may carry for it, and their longest rendered length. @internal */
export interface WatchedResource {
  readonly path: string;
  /** The pattern values that match the event field naming it (a name, an ARN, an id, or a `suffix` matcher). */
  readonly values: PatternValue[];
  /** The longest a token in `values` can be once deployed (the pattern-size check measures by it). */
  readonly maxLength: number;
  /**
   * Callers whose changes are expected (a secret's own rotation function): the
   * prefix of their `userIdentity.arn`. A resource with one gets a rule of its own.
   */
  readonly expectedCallerArnPrefix?: string;
  /**
   * The calls reported for this resource when not all of its kind's are (a secret rotated by a function
   * cdk-aegis cannot name: its value writes are expected). A resource with them gets a rule of its own.
   */
  readonly eventNames?: PatternValue[];
}

/** How the changes of one kind are recognized in CloudTrail's events. @internal */
export interface ChangeKind {
  readonly change: SecurityChange;
  /** EventBridge `source`, e.g. `aws.lambda`. */
  readonly source: string;
  /** CloudTrail `eventSource`, e.g. `lambda.amazonaws.com`. */
  readonly eventSource: string;
  /** The changing calls (Lambda's carry API-version suffixes: matched by prefix). */
  readonly eventNames: PatternValue[];
  /** The event field (under `detail`) that names the resource, e.g. `['requestParameters', 'functionName']`. */
  readonly field: string[];
  /** What changed, for the message and the description. */
  readonly what: string;
  /** The watched resources of `stack` (their L1s, so plain aws-cdk-lib resources count too). */
  resources(stack: Stack, resources: CfnResource[]): WatchedResource[];
}

const prefixes = (...names: string[]) => names.map((prefix) => ({ prefix }));

/** The ARN and name lengths AWS allows, for the pattern-size check. */
const LENGTH = {
  arnPrefix: 'arn:aws-us-gov:'.length + 'ap-southeast-3:'.length + '123456789012:'.length,
  functionName: 64,
  roleName: 64,
  keyId: 36,
  secretName: 512,
  bucketName: 63,
  uuid: 36,
  restApiId: 10,
};

/** The resources of type `type` among `all`, each named in the pattern by `values` (tokens at most `maxLength` long). */
function watched<T extends CfnResource>(
  all: CfnResource[],
  type: abstract new (...args: any[]) => T,
  maxLength: number,
  values: (resource: T) => PatternValue[],
): WatchedResource[] {
  return all.filter((r): r is T => r instanceof type).map((r) => ({ path: r.node.path, values: values(r), maxLength }));
}

/** The kinds of change, in rule order. @internal */
export const CHANGE_KINDS: ChangeKind[] = [
  {
    change: SecurityChange.FUNCTIONS,
    source: 'aws.lambda',
    eventSource: 'lambda.amazonaws.com',
    eventNames: prefixes(
      'UpdateFunctionCode', 'UpdateFunctionConfiguration', 'AddPermission', 'RemovePermission',
      'PutFunctionConcurrency', 'DeleteFunction', 'CreateFunctionUrlConfig', 'UpdateFunctionUrlConfig',
    ),
    field: ['requestParameters', 'functionName'],
    what: 'a function of this stack changed (code, configuration, permissions, concurrency or URL) or was deleted',
    // Callers name a function by its name or its ARN (`...:function:<name>`); a bare suffix would also match `x-<name>`.
    resources: (_stack, all) => watched(all, lambda.CfnFunction, ':function:'.length + LENGTH.functionName,
      (fn) => [fn.ref, { suffix: Fn.join('', [':function:', fn.ref]) }]),
  },
  {
    change: SecurityChange.ROLES,
    source: 'aws.iam',
    eventSource: 'iam.amazonaws.com',
    eventNames: [
      'AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'UpdateAssumeRolePolicy',
      'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'DeleteRole',
    ],
    field: ['requestParameters', 'roleName'],
    what: 'a role of this stack changed (a policy attached, put or removed, its trust policy or permissions boundary) or was deleted',
    resources: (_stack, all) => watched(all, iam.CfnRole, LENGTH.roleName, (role) => [role.ref]),
  },
  {
    change: SecurityChange.KEYS,
    source: 'aws.kms',
    eventSource: 'kms.amazonaws.com',
    eventNames: ['DisableKey', 'ScheduleKeyDeletion', 'PutKeyPolicy', 'DisableKeyRotation'],
    field: ['requestParameters', 'keyId'],
    what: 'a key of this stack was disabled, scheduled for deletion, given a new policy or stopped rotating',
    // Callers name a key by its id or its ARN (`...:key/<id>`): both end with the id. (An alias is not matched.)
    resources: (_stack, all) => watched(all, kms.CfnKey, LENGTH.keyId, (key) => [{ suffix: key.ref }]),
  },
  {
    change: SecurityChange.SECRETS,
    source: 'aws.secretsmanager',
    eventSource: 'secretsmanager.amazonaws.com',
    eventNames: ['PutSecretValue', 'UpdateSecret', 'UpdateSecretVersionStage', 'DeleteSecret', 'PutResourcePolicy', 'DeleteResourcePolicy', 'CancelRotateSecret'],
    // Callers name a secret by name, partial name or ARN; Secrets Manager answers every change with the secret's full ARN.
    field: ['responseElements', 'arn'],
    what: 'a secret of this stack changed (its value, settings or resource policy), stopped rotating or was deleted',
    resources: (stack, all) => {
      const rotators = rotationRoles(stack, all);
      const hosted = hostedRotations(stack, all);
      return all.filter((r): r is secretsmanager.CfnSecret => r instanceof secretsmanager.CfnSecret).map((secret) => {
        const id = JSON.stringify(stack.resolve(secret.ref));
        return {
          path: secret.node.path,
          // `Ref` of a secret is its ARN.
          values: [secret.ref],
          // arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>
          maxLength: LENGTH.arnPrefix + 'secretsmanager:secret:'.length + LENGTH.secretName + '-XXXXXX'.length,
          expectedCallerArnPrefix: rotators.get(id),
          eventNames: hosted.has(id) ? SECRET_SETTINGS_CHANGES : undefined,
        };
      });
    },
  },
  {
    change: SecurityChange.WEB_ACLS,
    source: 'aws.wafv2',
    eventSource: 'wafv2.amazonaws.com',
    eventNames: ['UpdateWebACL', 'DeleteWebACL'],
    field: ['requestParameters', 'id'],
    what: 'a web ACL of this stack changed or was deleted',
    resources: (_stack, all) => watched(all, wafv2.CfnWebACL, LENGTH.uuid, (acl) => [acl.attrId]),
  },
  {
    change: SecurityChange.STAGES,
    source: 'aws.apigateway',
    eventSource: 'apigateway.amazonaws.com',
    eventNames: ['UpdateStage', 'DeleteStage'],
    field: ['requestParameters', 'restApiId'],
    what: 'a stage of a REST API of this stack changed (logging, throttling, caching, tracing, client certificate) or was deleted',
    resources: (_stack, all) => watched(all, apigateway.CfnRestApi, LENGTH.restApiId, (api) => [api.ref]),
  },
  {
    change: SecurityChange.BUCKET_POLICIES,
    source: 'aws.s3',
    eventSource: 's3.amazonaws.com',
    eventNames: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'],
    field: ['requestParameters', 'bucketName'],
    what: 'a bucket policy or public access block of this stack changed or was deleted',
    resources: (_stack, all) => watched(all, s3.CfnBucket, LENGTH.bucketName, (bucket) => [bucket.ref]),
  },
];

/** A secret's changes other than writing its value (which its rotation does). */
const SECRET_SETTINGS_CHANGES: PatternValue[] = ['UpdateSecret', 'DeleteSecret', 'PutResourcePolicy', 'DeleteResourcePolicy', 'CancelRotateSecret'];

/**
 * The secrets of the stack rotated by a function the stack does not define (a hosted rotation, which
 * Secrets Manager deploys): its role is unknown at synth, so their value writes are not reported.
 */
function hostedRotations(stack: Stack, all: CfnResource[]): Set<string> {
  return new Set(all
    .filter((r): r is secretsmanager.CfnRotationSchedule => r instanceof secretsmanager.CfnRotationSchedule && r.hostedRotationLambda !== undefined)
    .map((schedule) => JSON.stringify(stack.resolve(schedule.secretId))));
}

/**
 * Each secret of the stack rotated by a function of the stack → the
 * `userIdentity.arn` prefix of that function's role sessions
 * (`arn:<partition>:sts::<account>:assumed-role/<role name>/`).
 */
function rotationRoles(stack: Stack, all: CfnResource[]): Map<string, string> {
  const rotators = new Map<string, string>();
  const schedules = all.filter((r): r is secretsmanager.CfnRotationSchedule => r instanceof secretsmanager.CfnRotationSchedule);
  if (schedules.length === 0) {
    return rotators;
  }
  // Logical ids of the functions and roles only (resolving every resource's would cost a synth-time walk of the stack).
  const byLogicalId = new Map(all.filter((r) => r instanceof lambda.CfnFunction || r instanceof iam.CfnRole)
    .map((r) => [stack.resolve(r.logicalId) as string, r]));
  for (const schedule of schedules) {
    const fn = byLogicalId.get(referencedLogicalId(stack.resolve(schedule.rotationLambdaArn)) ?? '');
    const role = fn instanceof lambda.CfnFunction ? byLogicalId.get(referencedLogicalId(stack.resolve(fn.role)) ?? '') : undefined;
    if (role instanceof iam.CfnRole) {
      rotators.set(JSON.stringify(stack.resolve(schedule.secretId)), `arn:${stack.partition}:sts::${stack.account}:assumed-role/${role.ref}/`);
    }
  }
  return rotators;
}


/** The EventBridge pattern of a rule for `kind` that names `values` (and ignores `expectedCaller`'s calls). @internal */
export function changePattern(
  kind: ChangeKind,
  values: PatternValue[],
  expectedCallerArnPrefix?: string,
  eventNames?: PatternValue[],
): { [key: string]: unknown } {
  const [group, name] = kind.field;
  return {
    'source': [kind.source],
    'detail-type': ['AWS API Call via CloudTrail'],
    'detail': {
      eventSource: [kind.eventSource],
      eventName: eventNames ?? kind.eventNames,
      // A deploy is CloudFormation calling the service: not news. A call that failed changed nothing.
      sourceIPAddress: [{ 'anything-but': CLOUDFORMATION_SOURCE }],
      errorCode: [{ exists: false }],
      [group]: { [name]: values },
      ...(expectedCallerArnPrefix ? { userIdentity: { arn: [{ 'anything-but': { prefix: expectedCallerArnPrefix } }] } } : {}),
    },
  };
}

/** The characters `values` take in a deployed pattern, each token at `maxLength`. */
function measure(values: PatternValue[], maxLength: number): number {
  return JSON.stringify(values, (_key, v) => (typeof v === 'string' && Token.isUnresolved(v) ? 'x'.repeat(maxLength) : v)).length - 1;
}

/**
 * Splits the resources of `kind` into groups whose rule patterns stay within
 * EventBridge's pattern quota, once deployed (each token measured at the
 * longest value AWS allows). A resource with an expected caller is a group of its own.
 *
 * @internal
 */
export function groupForPatternSize(kind: ChangeKind, resources: WatchedResource[]): WatchedResource[][] {
  const base = JSON.stringify(changePattern(kind, [], 'arn:aws-us-gov:sts::123456789012:assumed-role/' + 'x'.repeat(64) + '/')).length;
  const groups: WatchedResource[][] = [];
  let current: WatchedResource[] = [];
  let size = base;
  for (const resource of resources) {
    const cost = measure(resource.values, resource.maxLength);
    if (resource.expectedCallerArnPrefix !== undefined || resource.eventNames !== undefined) {
      groups.push([resource]);
      continue;
    }
    if (current.length > 0 && size + cost > MAX_PATTERN_CHARACTERS) {
      groups.push(current);
      current = [];
      size = base;
    }
    current.push(resource);
    size += cost;
  }
  if (current.length > 0) {
    groups.push(current);
  }
  return groups;
}

/** Whether the IAM rule can fire in `stack`'s region: IAM is global, and its events reach EventBridge in us-east-1 only. @internal */
export function iamEventsArriveIn(stack: Stack): boolean {
  return !Token.isUnresolved(stack.region) && stack.region === 'us-east-1';
}
