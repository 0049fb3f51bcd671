import { isIPv4, isIPv6 } from 'net';
import { Annotations, ArnFormat, Duration, Lazy, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ManagedRuleGroup } from './managed-rule-group';
import { StackKey } from '../core/encryption';
import { AegisValidationError, ProblemCollector, received } from '../core/errors';
import { checkJustification, recordOptOut } from '../core/justification';
import { checkLogRetention, createSecureLogGroup, DEFAULT_LOG_RETENTION } from '../core/log-group';
import {
  requireDuration, requireEnumValue, requireInstanceOf, requireInterface, requireOptionalArray, requireOptionalNumber,
  requireOptionalStringArray, requireProps,
} from '../core/private/input-checks';
import { requireDeployRegion } from '../core/private/region-rule';
import { shortHash } from '../core/private/short-hash';
import { readProfile, SecurityProfile } from '../core/profile';
import { AlarmConfig, AlarmSetting, checkAlarmSettings, ConstructAlarm, SPIKE_ALARM_DEFAULTS } from '../monitoring/alarm-setting';
import { applyAlarms, describeWindow, Monitoring } from '../monitoring/monitoring';

/** Requests one IP address may send per evaluation window before it is blocked (with HTTP 429). */
export const DEFAULT_RATE_LIMIT = 1000;
/** The window the rate limit counts over. */
export const DEFAULT_RATE_LIMIT_WINDOW = Duration.minutes(5);
/** AWS WAF's bounds for a rate-based rule. */
export const MIN_RATE_LIMIT = 10;
export const MAX_RATE_LIMIT = 2_000_000_000;
/** Evaluation windows AWS WAF accepts, in seconds. */
export const RATE_LIMIT_WINDOWS_SECONDS = Object.freeze([60, 120, 300, 600]) as number[];
/** Web ACL capacity included in the base price, and the most AWS allows. */
export const INCLUDED_WEB_ACL_CAPACITY = 1500;
export const MAX_WEB_ACL_CAPACITY = 5000;
/** Request headers WAF logs never contain: credentials of IAM, Cognito and Lambda authorizers, API keys, sessions. */
export const DEFAULT_REDACTED_HEADERS = Object.freeze(['authorization', 'cookie', 'x-api-key', 'x-amz-security-token']) as string[];
/** AWS requires this prefix on a log group that receives WAF logs. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

const RATE_RULE_CAPACITY = 2;
const IP_SET_CAPACITY = 1;
const GEO_CAPACITY = 1;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const HEADER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Names of the rules SecureWebAcl writes itself (managed groups are named after themselves). */
const RULE_NAMES = {
  blocked: 'BlockedAddresses',
  allowedOnly: 'OnlyAllowedAddresses',
  countries: 'BlockedCountries',
  rateLimit: 'RateLimitPerIp',
};

/** What a web ACL protects. */
export enum WebAclScope {
  /** API Gateway stages, Application Load Balancers, AppSync, Cognito, App Runner, Verified Access. */
  REGIONAL = 'REGIONAL',
  /** CloudFront distributions; the stack must be in us-east-1. */
  CLOUDFRONT = 'CLOUDFRONT',
}

/** Props of {@link SecureWebAcl}. */
export interface SecureWebAclProps {
  /**
   * What the web ACL protects.
   *
   * @default WebAclScope.REGIONAL
   */
  readonly scope?: WebAclScope;

  /**
   * Requests one IP address may send per `rateLimitWindow`; beyond it the
   * address gets HTTP 429 until its rate drops. At least 10.
   *
   * @default 1000
   */
  readonly rateLimit?: number;

  /**
   * The window `rateLimit` counts over: 1, 2, 5 or 10 minutes.
   *
   * @default Duration.minutes(5)
   */
  readonly rateLimitWindow?: Duration;

  /**
   * AWS managed rule groups to add to the defaults (IP reputation, core rule
   * set, known bad inputs, SQL injection). Paid groups such as
   * `ManagedRuleGroup.botControl()` are only ever added here. A default group
   * given with `countOnly(rules, reason)` replaces that default.
   *
   * @default - the four free default groups only
   */
  readonly additionalManagedRuleGroups?: ManagedRuleGroup[];

  /**
   * When set (alone or with `allowedIpv6Cidrs`), only these IPv4 ranges may
   * call; every other address is blocked. CIDR notation, e.g. `203.0.113.0/24`.
   *
   * @default - every address may call (subject to the other rules)
   */
  readonly allowedIpv4Cidrs?: string[];

  /**
   * When set (alone or with `allowedIpv4Cidrs`), only these IPv6 ranges may
   * call; every other address is blocked. CIDR notation, e.g. `2001:db8::/32`.
   *
   * @default - every address may call (subject to the other rules)
   */
  readonly allowedIpv6Cidrs?: string[];

  /**
   * IPv4 ranges that are always blocked.
   *
   * @default - none
   */
  readonly blockedIpv4Cidrs?: string[];

  /**
   * IPv6 ranges that are always blocked.
   *
   * @default - none
   */
  readonly blockedIpv6Cidrs?: string[];

  /**
   * Countries whose requests are blocked, as ISO 3166-1 alpha-2 codes (`'KP'`).
   *
   * @default - none
   */
  readonly blockedCountries?: string[];

  /**
   * Request headers to keep out of the WAF logs besides `authorization`,
   * `cookie`, `x-api-key` and `x-amz-security-token` (e.g. a session header).
   *
   * @default - the four above only
   */
  readonly additionalRedactedHeaders?: string[];

  /**
   * Retention of the WAF log group. Must be bounded; at least one year under REGULATED.
   *
   * @default - 3 months (BASELINE), 1 year (REGULATED)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Anomaly-detection alarm on blocked requests (Sum of `BlockedRequests`
   * for the whole web ACL): an attack starting. Threshold: the band width in
   * standard deviations. Turning it off needs a reason.
   *
   * @default - on: above a 3-standard-deviation band in 2 of 3 five-minute periods
   */
  readonly blockedRequestsAlarm?: AlarmSetting;

  /**
   * Key encrypting the WAF log group.
   *
   * @default - the customer-managed KMS key shared by the stack (`StackKey.of(this)`)
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * An AWS WAF web ACL with AWS managed rule groups, a per-IP rate limit,
 * CloudWatch metrics, sampled requests and logging to an encrypted,
 * retained `aws-waf-logs-` log group (authorization and cookie headers
 * redacted). One web ACL can protect several resources.
 *
 * @example
 * const waf = new SecureWebAcl(this, 'Waf', { rateLimit: 500, blockedCountries: ['KP'] });
 * new SecureApi(this, 'Orders', { webAcl: waf });
 * new SecureApi(this, 'Billing', { webAcl: waf });
 */
export class SecureWebAcl extends Construct {
  /** Requests one IP address may send per evaluation window before it is blocked (with HTTP 429). */
  public static readonly DEFAULT_RATE_LIMIT: number = DEFAULT_RATE_LIMIT;

  /** The window the rate limit counts over. */
  public static readonly DEFAULT_RATE_LIMIT_WINDOW: Duration = DEFAULT_RATE_LIMIT_WINDOW;

  /** AWS WAF's bounds for a rate-based rule. */
  public static readonly MIN_RATE_LIMIT: number = MIN_RATE_LIMIT;

  /** MAX_RATE_LIMIT. */
  public static readonly MAX_RATE_LIMIT: number = MAX_RATE_LIMIT;

  /** Evaluation windows AWS WAF accepts, in seconds. */
  public static readonly RATE_LIMIT_WINDOWS_SECONDS: number[] = RATE_LIMIT_WINDOWS_SECONDS;

  /** Web ACL capacity included in the base price, and the most AWS allows. */
  public static readonly INCLUDED_CAPACITY: number = INCLUDED_WEB_ACL_CAPACITY;

  /** MAX_CAPACITY. */
  public static readonly MAX_CAPACITY: number = MAX_WEB_ACL_CAPACITY;

  /** Request headers WAF logs never contain: credentials of IAM, Cognito and Lambda authorizers, API keys, sessions. */
  public static readonly DEFAULT_REDACTED_HEADERS: string[] = DEFAULT_REDACTED_HEADERS;

  /** AWS requires this prefix on a log group that receives WAF logs. */
  public static readonly LOG_GROUP_PREFIX: string = WAF_LOG_GROUP_PREFIX;

  /** The web ACL's ARN. */
  public readonly webAclArn: string;
  /** The web ACL's id. */
  public readonly webAclId: string;
  /** What the web ACL protects. */
  public readonly webAclScope: WebAclScope;
  /** The log group WAF writes to. */
  public readonly logGroup: logs.ILogGroup;
  /** The anomaly-detection alarm on blocked requests, unless turned off. */
  public readonly blockedRequestsAlarm?: cloudwatch.IAlarm;

  private readonly redactedHeaders: string[];
  private readonly rules: wafv2.CfnWebACL.RuleProperty[] = [];
  private consumedCapacity: number;

  constructor(scope: Construct, id: string, props: SecureWebAclProps = {}) {
    super(scope, id);
    // Wrong types stop here: the capacity below and every later check read these props.
    checkInputTypes(this, props);
    const profile = readProfile(this);
    const webAclScope = props.scope ?? WebAclScope.REGIONAL;
    const groups = ruleGroups(props.additionalManagedRuleGroups ?? []);
    const ipSetCount = [props.blockedIpv4Cidrs, props.blockedIpv6Cidrs, props.allowedIpv4Cidrs, props.allowedIpv6Cidrs]
      .filter((list) => list && list.length > 0).length;
    this.consumedCapacity =
      groups.reduce((sum, group) => sum + group.capacity, 0) +
      RATE_RULE_CAPACITY +
      ipSetCount * IP_SET_CAPACITY +
      (props.blockedCountries?.length ? GEO_CAPACITY : 0);
    const alarms = checkProps(this, props, webAclScope, groups, profile, this.consumedCapacity);

    const rules = this.rules;
    const addRule = (name: string, statement: wafv2.CfnWebACL.StatementProperty, action: wafv2.CfnWebACL.RuleActionProperty | undefined): void => {
      rules.push({
        name,
        priority: rules.length,
        statement,
        action,
        overrideAction: action === undefined ? { none: {} } : undefined,
        visibilityConfig: visibility(name),
      });
    };
    const block: wafv2.CfnWebACL.RuleActionProperty = { block: {} };

    const blocked = this.ipSetStatements('Blocked', webAclScope, props.blockedIpv4Cidrs, props.blockedIpv6Cidrs);
    if (blocked.length > 0) {
      addRule(RULE_NAMES.blocked, anyOf(blocked), block);
    }
    const allowed = this.ipSetStatements('Allowed', webAclScope, props.allowedIpv4Cidrs, props.allowedIpv6Cidrs);
    if (allowed.length > 0) {
      addRule(RULE_NAMES.allowedOnly, { notStatement: { statement: anyOf(allowed) } }, block);
    }
    if (props.blockedCountries && props.blockedCountries.length > 0) {
      addRule(RULE_NAMES.countries, { geoMatchStatement: { countryCodes: props.blockedCountries } }, block);
    }
    addRule(
      RULE_NAMES.rateLimit,
      {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: props.rateLimit ?? DEFAULT_RATE_LIMIT,
          evaluationWindowSec: (props.rateLimitWindow ?? DEFAULT_RATE_LIMIT_WINDOW).toSeconds(),
        },
      },
      { block: { customResponse: { responseCode: 429 } } },
    );
    for (const group of groups) {
      addRule(group.name, group._statement(), undefined);
      if (group.countOnlyRules.length > 0) {
        recordOptOut(this, `waf-block:${group.name}`, group.countOnlyJustification!, []);
      }
    }

    if (this.capacity > INCLUDED_WEB_ACL_CAPACITY) {
      Annotations.of(this).addWarningV2(
        '@cdk-aegis/waf-capacity',
        `the web ACL uses ${this.capacity} WCU; above ${INCLUDED_WEB_ACL_CAPACITY} AWS WAF charges an extra fee per million requests.`,
      );
    }
    const paid = groups.filter((group) => group.paid).map((group) => group.name);
    if (paid.length > 0) {
      Annotations.of(this).addInfo(`paid managed rule groups (subscription and per-request fees on top of the rule fee): ${paid.join(', ')}`);
    }

    const metricName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: webAclScope,
      defaultAction: { allow: {} },
      // Read at synth: rules added later (`_addRule`) are in.
      // Priorities follow the order (`_addRule` may put a rule first).
      rules: Lazy.any({ produce: () => this.rules.map((rule, priority) => ({ ...rule, priority })) }),
      visibilityConfig: visibility(metricName),
    });
    if (webAclScope === WebAclScope.CLOUDFRONT) {
      requireDeployRegion(this, 'InCloudFrontRegion', 'us-east-1', `${this.node.path} is a CLOUDFRONT-scope web ACL, which AWS keeps in us-east-1: ` +
        'deploy this stack there, or give the distribution `webAclArn` of a CLOUDFRONT-scope web ACL from a us-east-1 stack.');
    }
    this.webAclArn = webAcl.attrArn;
    this.webAclId = webAcl.attrId;
    this.webAclScope = webAclScope;

    // The web ACL's id makes the name new on every creation: a log group kept
    // from a deleted stack (RETAIN) never blocks a redeploy.
    const logGroupName = `${WAF_LOG_GROUP_PREFIX}${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}-${webAcl.attrId}`;
    const logGroup = createSecureLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey ?? StackKey.of(this),
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION[profile],
      logGroupName,
    });
    this.logGroup = logGroup;
    this.redactedHeaders = [...DEFAULT_REDACTED_HEADERS];
    for (const header of props.additionalRedactedHeaders ?? []) {
      this.redactHeader(header);
    }
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` that GetAtt returns.
      logDestinationConfigs: [
        Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
      redactedFields: Lazy.any({ produce: () => this.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })) }),
    });
    logging.node.addDependency(logGroup);

    // WAF publishes the web ACL's totals under Rule=ALL; CloudFront web ACLs have no Region dimension.
    const requests = (metric: string) => new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: metric,
      dimensionsMap: webAclScope === WebAclScope.CLOUDFRONT
        ? { WebACL: metricName, Rule: 'ALL' }
        : { WebACL: metricName, Rule: 'ALL', Region: Stack.of(this).region },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    this.blockedRequestsAlarm = applyAlarms(this, requests, props, WEB_ACL_ALARMS, alarms).blockedRequestsAlarm;
    Monitoring.of(this)._addWidgets(() => [new cloudwatch.GraphWidget({
      title: `${this.node.path}: requests`,
      width: 24,
      left: [requests('AllowedRequests'), requests('BlockedRequests')],
    })]);
  }

  /** Web ACL capacity units the rules consume (above 1500 AWS charges more per request). */
  public get capacity(): number {
    return this.consumedCapacity;
  }

  /**
   * Adds a rule that blocks the requests `statement` matches, before every
   * other rule (`EdgeOrigin.api` adds its origin check this way, so a request
   * it blocks is counted by no other rule).
   *
   * @internal
   */
  public _addRuleFirst(name: string, capacity: number, statement: wafv2.CfnWebACL.StatementProperty): void {
    const problems = new ProblemCollector(this);
    problems.require(!this.rules.some((rule) => rule.name === name), `the web ACL already has a rule named ${name}.`);
    problems.require(
      this.consumedCapacity + capacity <= MAX_WEB_ACL_CAPACITY,
      `adding rule ${name} would take the web ACL to ${this.consumedCapacity + capacity} WCU; AWS allows at most ${MAX_WEB_ACL_CAPACITY}.`,
    );
    problems.throwIfAny();
    this.consumedCapacity += capacity;
    this.rules.unshift({ name, priority: 0, statement, action: { block: {} }, visibilityConfig: visibility(name) });
  }

  /**
   * Behind a CloudFront distribution, whose own web ACL limits each viewer on
   * its real address: counts the per-IP rate rule by the viewer's address in
   * `X-Forwarded-For` (the connection's is an edge address shared by many
   * viewers) and raises its limit to `factor` times, so it stays a backstop:
   * a viewer who forges the header cannot get another viewer blocked here
   * before the distribution blocks the forger.
   *
   * @internal
   */
  public _rateLimitBehindCloudFront(factor: number): void {
    const rule = this.rules.find((r) => r.name === RULE_NAMES.rateLimit)!;
    const statement = (rule.statement as wafv2.CfnWebACL.StatementProperty).rateBasedStatement as wafv2.CfnWebACL.RateBasedStatementProperty;
    (rule as { statement: wafv2.CfnWebACL.StatementProperty }).statement = {
      rateBasedStatement: {
        ...statement,
        limit: Math.min(MAX_RATE_LIMIT, (statement.limit as number) * factor),
        aggregateKeyType: 'FORWARDED_IP',
        forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' },
      },
    };
  }

  /**
   * Keeps a request header out of the WAF logs (`SecureApi` does this for the
   * headers its Lambda authorizers read).
   *
   * @param name the header name, e.g. `x-session-token`
   */
  public redactHeader(name: string): void {
    const problems = new ProblemCollector(this);
    problems.require(typeof name === 'string' && HEADER_NAME.test(name), `a redacted header must be a header name (letters, digits, \`-\`, \`_\`), got: ${received(name)}.`);
    problems.throwIfAny();
    const lower = name.toLowerCase();
    if (!this.redactedHeaders.includes(lower)) {
      this.redactedHeaders.push(lower);
    }
  }

  /**
   * Protects a regional resource (an API Gateway stage, an Application Load
   * Balancer, ...) with this web ACL. CloudFront distributions take the web
   * ACL through their own `webAclId` instead.
   *
   * @param resourceArn the ARN of the resource to protect
   */
  public associate(resourceArn: string): wafv2.CfnWebACLAssociation {
    const id = `Association${shortHash(Stack.of(this).resolve(resourceArn))}`;
    return associateWebAcl(this, this, id, resourceArn);
  }

  private ipSetStatements(prefix: string, scope: WebAclScope, ipv4?: string[], ipv6?: string[]): wafv2.CfnWebACL.StatementProperty[] {
    const sets = [
      { version: 'IPV4', suffix: 'Ipv4', addresses: ipv4 },
      { version: 'IPV6', suffix: 'Ipv6', addresses: ipv6 },
    ].filter((s) => s.addresses && s.addresses.length > 0);
    return sets.map((s) => {
      const ipSet = new wafv2.CfnIPSet(this, `${prefix}${s.suffix}`, { scope, ipAddressVersion: s.version, addresses: s.addresses! });
      return { ipSetReferenceStatement: { arn: ipSet.attrArn } };
    });
  }
}

/**
 * Associates `webAcl` with `resourceArn` under `scope`.
 *
 * @internal
 */
export function associateWebAcl(webAcl: SecureWebAcl, scope: Construct, id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
  if (webAcl.webAclScope !== WebAclScope.REGIONAL) {
    throw new AegisValidationError(scope.node.path, [
      `web ACL ${webAcl.node.path} has scope CLOUDFRONT and cannot be associated with a regional resource; ` +
        'give a CloudFront distribution its ARN as `webAclId`, or use a REGIONAL SecureWebAcl here.',
    ]);
  }
  return new wafv2.CfnWebACLAssociation(scope, id, { webAclArn: webAcl.webAclArn, resourceArn });
}

/** The defaults, with a default replaced by the same group given with `countOnly`, then the rest. */
function ruleGroups(additional: ManagedRuleGroup[]): ManagedRuleGroup[] {
  const replaces = (group: ManagedRuleGroup) => (d: ManagedRuleGroup) => d.name === group.name && group.countOnlyJustification !== undefined;
  const defaults = ManagedRuleGroup.DEFAULTS.map((d) => additional.find((g) => replaces(g)(d)) ?? d);
  const rest = additional.filter((g) => !ManagedRuleGroup.DEFAULTS.some(replaces(g)));
  return [...defaults, ...rest];
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function anyOf(statements: wafv2.CfnWebACL.StatementProperty[]): wafv2.CfnWebACL.StatementProperty {
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** The alarms of {@link SecureWebAcl} and their defaults. @internal */
export const WEB_ACL_ALARMS: Record<'blockedRequestsAlarm', ConstructAlarm<(metricName: string) => cloudwatch.Metric>> = {
  blockedRequestsAlarm: {
    ...SPIKE_ALARM_DEFAULTS,
    id: 'BlockedRequestsAlarm',
    anomalyDetection: true,
    metric: (requests) => requests('BlockedRequests'),
    describe: (c) => `blocked requests above their ${c.threshold}-standard-deviation anomaly band in ${describeWindow(c)}`,
  },
};

function checkProps(
  scope: Construct,
  props: SecureWebAclProps,
  webAclScope: WebAclScope,
  groups: ManagedRuleGroup[],
  profile: SecurityProfile,
  capacity: number,
): { blockedRequestsAlarm?: AlarmConfig } {
  const problems = new ProblemCollector(scope);
  const alarms = checkAlarmSettings(problems, props, WEB_ACL_ALARMS);
  checkLogRetention(problems, 'logRetention', props.logRetention, profile);
  const limit = props.rateLimit;
  if (limit !== undefined && !Token.isUnresolved(limit)) {
    problems.require(
      Number.isInteger(limit) && limit >= MIN_RATE_LIMIT && limit <= MAX_RATE_LIMIT,
      `\`rateLimit\` must be a whole number between ${MIN_RATE_LIMIT} and ${MAX_RATE_LIMIT} (AWS WAF's bounds), got: ${limit}.`,
    );
  }
  const window = props.rateLimitWindow;
  if (window !== undefined && !Token.isUnresolved(window.toSeconds())) {
    problems.require(
      RATE_LIMIT_WINDOWS_SECONDS.includes(window.toSeconds()),
      `\`rateLimitWindow\` must be one of ${RATE_LIMIT_WINDOWS_SECONDS.join(', ')} seconds (AWS WAF's evaluation windows), got: ${window.toSeconds()} seconds.`,
    );
  }
  checkCidrs(problems, 'allowedIpv4Cidrs', props.allowedIpv4Cidrs, 4);
  checkCidrs(problems, 'allowedIpv6Cidrs', props.allowedIpv6Cidrs, 6);
  checkCidrs(problems, 'blockedIpv4Cidrs', props.blockedIpv4Cidrs, 4);
  checkCidrs(problems, 'blockedIpv6Cidrs', props.blockedIpv6Cidrs, 6);
  for (const header of props.additionalRedactedHeaders ?? []) {
    problems.require(HEADER_NAME.test(header), `\`additionalRedactedHeaders\` entries must be header names (letters, digits, \`-\`, \`_\`), got: ${received(header)}.`);
  }
  for (const country of props.blockedCountries ?? []) {
    problems.require(
      Token.isUnresolved(country) || COUNTRY_CODE.test(country),
      `\`blockedCountries\` entries must be ISO 3166-1 alpha-2 codes in capitals (e.g. 'KP'), got: ${received(country)}.`,
    );
  }
  for (const group of groups) {
    problems.require(
      /^[A-Za-z0-9_-]{1,128}$/.test(group.name) && /^[A-Za-z0-9 _.-]{1,128}$/.test(group.vendorName),
      `\`additionalManagedRuleGroups\` names a group its vendor could not have: ${received(`${group.vendorName}/${group.name}`)}.`,
    );
    problems.require(
      Number.isInteger(group.capacity) && group.capacity > 0,
      `\`additionalManagedRuleGroups\` group ${group.name} needs its capacity as a whole number of WCU above 0, got: ${group.capacity}.`,
    );
  }
  const names = groups.map((g) => g.name);
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  problems.require(
    repeated.length === 0,
    `\`additionalManagedRuleGroups\` repeats ${[...new Set(repeated)].join(', ')}; each group may appear once (the defaults already hold ` +
      `${ManagedRuleGroup.DEFAULTS.map((g) => g.name).join(', ')}).`,
  );
  const reserved = names.filter((name) => Object.values(RULE_NAMES).includes(name));
  problems.require(
    reserved.length === 0,
    `\`additionalManagedRuleGroups\` names ${reserved.join(', ')}, a rule name SecureWebAcl uses itself; rename the group.`,
  );
  for (const group of groups.filter((g) => g.countOnlyJustification !== undefined)) {
    checkJustification(problems, `countOnly(${group.name})`, group.countOnlyJustification);
    problems.require(
      group.countOnlyRules.length > 0 && group.countOnlyRules.every((rule) => /^[A-Za-z0-9_-]{1,128}$/.test(rule)),
      `\`countOnly(${group.name})\` needs rule names of the group, e.g. ['SizeRestrictions_BODY'], got: ${received(group.countOnlyRules.join(', '))}.`,
    );
  }
  problems.require(
    capacity <= MAX_WEB_ACL_CAPACITY,
    `the web ACL's rules need ${capacity} WCU; AWS allows at most ${MAX_WEB_ACL_CAPACITY}. Drop a group from \`additionalManagedRuleGroups\`.`,
  );
  if (webAclScope === WebAclScope.CLOUDFRONT) {
    const region = Stack.of(scope).region;
    problems.require(
      Token.isUnresolved(region) || region === 'us-east-1',
      `\`scope\` CLOUDFRONT needs the stack in us-east-1 (where AWS keeps CloudFront web ACLs), got region: ${received(region)}.`,
    );
  }
  problems.throwIfAny();
  return alarms;
}

function checkCidrs(problems: ProblemCollector, prop: string, cidrs: string[] | undefined, version: 4 | 6): void {
  for (const cidr of cidrs ?? []) {
    if (Token.isUnresolved(cidr)) {
      continue;
    }
    problems.require(
      isCidr(cidr, version),
      `\`${prop}\` entries must be IPv${version} CIDR blocks with a prefix length of 1 to ${version === 4 ? 32 : 128} ` +
        `(e.g. ${version === 4 ? '203.0.113.0/24' : '2001:db8::/32'}), got: ${received(cidr)}.`,
    );
  }
}

function isCidr(cidr: string, version: 4 | 6): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) {
    return false;
  }
  const prefix = Number(match[2]);
  const max = version === 4 ? 32 : 128;
  return (version === 4 ? isIPv4(match[1]) : isIPv6(match[1])) && prefix >= 1 && prefix <= max;
}

/** Types of the props, as untyped callers (Python, Java, .NET, JavaScript) may get them wrong; throws at once. */
function checkInputTypes(scope: Construct, props: SecureWebAclProps): void {
  const problems = new ProblemCollector(scope);
  if (requireProps(problems, props, undefined)) {
    const p = props as unknown as Record<keyof SecureWebAclProps, unknown>;
    requireEnumValue(problems, 'scope', p.scope, WebAclScope, 'WebAclScope');
    requireOptionalNumber(problems, 'rateLimit', p.rateLimit, '1000');
    requireDuration(problems, 'rateLimitWindow', p.rateLimitWindow, 'Duration.minutes(5)');
    requireOptionalArray(problems, 'additionalManagedRuleGroups', p.additionalManagedRuleGroups, '[ManagedRuleGroup.ANONYMOUS_IP_LIST]', (prop, value) =>
      requireInstanceOf(problems, prop, value, ManagedRuleGroup, 'a ManagedRuleGroup, e.g. `ManagedRuleGroup.ANONYMOUS_IP_LIST` or `ManagedRuleGroup.of({ ... })`', true));
    requireOptionalStringArray(problems, 'allowedIpv4Cidrs', p.allowedIpv4Cidrs, "['203.0.113.0/24']");
    requireOptionalStringArray(problems, 'allowedIpv6Cidrs', p.allowedIpv6Cidrs, "['2001:db8::/32']");
    requireOptionalStringArray(problems, 'blockedIpv4Cidrs', p.blockedIpv4Cidrs, "['203.0.113.0/24']");
    requireOptionalStringArray(problems, 'blockedIpv6Cidrs', p.blockedIpv6Cidrs, "['2001:db8::/32']");
    requireOptionalStringArray(problems, 'blockedCountries', p.blockedCountries, "['KP']");
    requireOptionalStringArray(problems, 'additionalRedactedHeaders', p.additionalRedactedHeaders, "['x-session-token']");
    requireInterface(problems, 'encryptionKey', p.encryptionKey, 'keyArn', 'a kms.IKey, e.g. a kms.Key');
  }
  problems.throwIfAny();
}
