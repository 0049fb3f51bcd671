/**
 * The fixed monthly cost cdk-aegis's defaults add to a stack with one
 * SecureApi and N SecureFunctions (usage-priced items — requests, log
 * ingestion and storage — are not included). Public list prices, us-east-1,
 * read on 2026-11-22.
 */
export const PRICES_READ_ON = '2026-11-22';
export const PRICES = {
  /** AWS KMS: per customer-managed key per month (aws.amazon.com/kms/pricing). */
  kmsKeyMonth: 1.0,
  /** AWS WAF: per web ACL per month (aws.amazon.com/waf/pricing; cross-checked in secondary sources, see README). */
  webAclMonth: 5.0,
  /** AWS WAF: per rule (or managed rule group) per month. */
  wafRuleMonth: 1.0,
  /** Secrets Manager: per secret per month (none by default). */
  secretMonth: 0.4,
  /**
   * CloudWatch: per standard-resolution alarm metric per month
   * (aws.amazon.com/cloudwatch/pricing). A metric-math alarm is billed per
   * metric in it; the first 10 alarm metrics of an account are free (not
   * counted here).
   */
  alarmMetricMonth: 0.1,
  /** CloudWatch: alarm metrics an anomaly-detection alarm is billed as (the metric and its band). */
  anomalyAlarmMetrics: 3,
};

/** Rules in the default SecureWebAcl: the per-IP rate limit and four free AWS managed groups. */
export const DEFAULT_WAF_RULES = 5;

/**
 * Security-change rules of a stack with one SecureApi and SecureFunctions, in us-east-1: functions, roles (IAM's
 * events arrive in us-east-1 only), the key, the web ACL and the stage. EventBridge rules on AWS service events are free.
 */
export const SECURITY_CHANGE_RULES = 5;

export interface CostLine {
  readonly item: string;
  readonly count: number;
  readonly monthly: number;
}

/** The fixed monthly cost of 1 SecureApi + `functions` SecureFunctions in one stack. */
export function fixedMonthlyCost(functions: number): { lines: CostLine[]; total: number } {
  const lines: CostLine[] = [
    { item: 'KMS key (one per stack, shared by every construct)', count: 1, monthly: PRICES.kmsKeyMonth },
    { item: 'WAF web ACL', count: 1, monthly: PRICES.webAclMonth },
    { item: 'WAF rules (rate limit + 4 free managed groups)', count: DEFAULT_WAF_RULES, monthly: DEFAULT_WAF_RULES * PRICES.wafRuleMonth },
    { item: `Per function (${functions}): role, log group, dead-letter queue — no fixed fee`, count: functions, monthly: 0 },
    {
      item: 'Function alarms: errors + p90 duration, one metric per function (shared metric-math alarms)',
      count: 2 * functions,
      monthly: 2 * functions * PRICES.alarmMetricMonth,
    },
    { item: 'API 5XX-rate alarm', count: 1, monthly: PRICES.alarmMetricMonth },
    {
      item: 'Anomaly-detection alarms: API request count, WAF blocked requests',
      count: 2,
      monthly: 2 * PRICES.anomalyAlarmMetrics * PRICES.alarmMetricMonth,
    },
    { item: `Security-change rules (${SECURITY_CHANGE_RULES}, on AWS service events): no fee`, count: SECURITY_CHANGE_RULES, monthly: 0 },
    {
      item: 'Their delivery alarms: failed invocations + dead-letter failures, one metric per rule (shared), and their dead-letter queue',
      count: 2 * SECURITY_CHANGE_RULES + 1,
      monthly: (2 * SECURITY_CHANGE_RULES + 1) * PRICES.alarmMetricMonth,
    },
    { item: 'Secrets, dashboard: none by default', count: 0, monthly: 0 },
  ];
  return { lines, total: lines.reduce((sum, line) => sum + line.monthly, 0) };
}
