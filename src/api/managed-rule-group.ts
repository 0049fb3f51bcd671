import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Justification } from '../core/justification';

/** Props of {@link ManagedRuleGroup.of}. */
export interface ManagedRuleGroupProps {
  /** The group's name, e.g. `AWSManagedRulesAntiDDoSRuleSet`. */
  readonly name: string;

  /** Web ACL capacity units (WCU) the group consumes, as its seller documents. */
  readonly capacity: number;

  /** Whether the group costs more than the web ACL's rule fee (a subscription or per-request fee). */
  readonly paid: boolean;

  /**
   * The group's seller.
   *
   * @default 'AWS'
   */
  readonly vendorName?: string;
}

/** How deep AWS WAF Bot Control looks at requests. */
export enum BotControlInspectionLevel {
  /** Self-identifying bots and known bot signatures. */
  COMMON = 'COMMON',
  /** Also sophisticated bots, with browser interrogation and fingerprinting (higher fees). */
  TARGETED = 'TARGETED',
}

/**
 * An AWS managed rule group for a `SecureWebAcl`. The four groups every web
 * ACL gets by default are free; the others are opt-in, and `paid` says when
 * AWS charges a subscription and per-request fee on top of the web ACL.
 *
 * WCU figures are those the AWS WAF developer guide lists (read 2026-11-22).
 */
export class ManagedRuleGroup {
  /** Core rule set (OWASP Top 10 style: XSS, LFI, bad user agents, size limits). 700 WCU, free. In the defaults. */
  public static readonly COMMON_RULE_SET = new ManagedRuleGroup('AWSManagedRulesCommonRuleSet', 700, false);
  /** Request patterns known to be malicious (Log4j, Java deserialization, ...). 200 WCU, free. In the defaults. */
  public static readonly KNOWN_BAD_INPUTS = new ManagedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 200, false);
  /** SQL injection patterns. 200 WCU, free. In the defaults. */
  public static readonly SQL_INJECTION = new ManagedRuleGroup('AWSManagedRulesSQLiRuleSet', 200, false);
  /** Addresses Amazon threat intelligence flags (bots, reconnaissance, DDoS sources). 25 WCU, free. In the defaults. */
  public static readonly AMAZON_IP_REPUTATION = new ManagedRuleGroup('AWSManagedRulesAmazonIpReputationList', 25, false);
  /** VPNs, proxies, Tor and hosting providers that hide a caller's identity. 50 WCU, free. */
  public static readonly ANONYMOUS_IP_LIST = new ManagedRuleGroup('AWSManagedRulesAnonymousIpList', 50, false);
  /** External access to administrative pages. 100 WCU, free. */
  public static readonly ADMIN_PROTECTION = new ManagedRuleGroup('AWSManagedRulesAdminProtectionRuleSet', 100, false);
  /** Linux-specific LFI patterns. 200 WCU, free. */
  public static readonly LINUX = new ManagedRuleGroup('AWSManagedRulesLinuxRuleSet', 200, false);
  /** POSIX / Unix-specific patterns. 100 WCU, free. */
  public static readonly UNIX = new ManagedRuleGroup('AWSManagedRulesUnixRuleSet', 100, false);
  /** Windows-specific patterns (PowerShell, ...). 200 WCU, free. */
  public static readonly WINDOWS = new ManagedRuleGroup('AWSManagedRulesWindowsRuleSet', 200, false);
  /** PHP-specific patterns. 100 WCU, free. */
  public static readonly PHP = new ManagedRuleGroup('AWSManagedRulesPHPRuleSet', 100, false);
  /** WordPress-specific patterns. 100 WCU, free. */
  public static readonly WORDPRESS = new ManagedRuleGroup('AWSManagedRulesWordPressRuleSet', 100, false);

  /** The groups every `SecureWebAcl` has, in evaluation order after the IP reputation list. */
  public static readonly DEFAULTS: ManagedRuleGroup[] = [
    ManagedRuleGroup.AMAZON_IP_REPUTATION,
    ManagedRuleGroup.COMMON_RULE_SET,
    ManagedRuleGroup.KNOWN_BAD_INPUTS,
    ManagedRuleGroup.SQL_INJECTION,
  ];

  /**
   * AWS WAF Bot Control. **Paid**: a monthly subscription plus a per-request
   * fee (about $10/month + $1 per million requests for COMMON at the time of
   * writing; TARGETED costs more). 50 WCU.
   */
  public static botControl(level: BotControlInspectionLevel = BotControlInspectionLevel.COMMON): ManagedRuleGroup {
    return new ManagedRuleGroup('AWSManagedRulesBotControlRuleSet', 50, true, {
      awsManagedRulesBotControlRuleSet: { inspectionLevel: level },
    });
  }

  /**
   * Any other managed rule group: a newer AWS group, or one from an AWS
   * Marketplace seller you subscribe to. Its capacity counts toward the web
   * ACL's limit, so state it as the seller documents it.
   */
  public static of(props: ManagedRuleGroupProps): ManagedRuleGroup {
    return new ManagedRuleGroup(props.name, props.capacity, props.paid, undefined, props.vendorName ?? 'AWS');
  }

  private constructor(
    /** The group's name in its vendor's namespace. */
    public readonly name: string,
    /** Web ACL capacity units the group consumes. */
    public readonly capacity: number,
    /** Whether AWS charges a fee for the group beyond the web ACL's rule fee. */
    public readonly paid: boolean,
    private readonly config?: wafv2.CfnWebACL.ManagedRuleGroupConfigProperty,
    /** The seller of the group (`AWS` for AWS managed rules). */
    public readonly vendorName: string = 'AWS',
    /** Rules of the group that only count matching requests. */
    public readonly countOnlyRules: string[] = [],
    /** Why `countOnlyRules` do not block. */
    public readonly countOnlyJustification?: Justification,
  ) {}

  /**
   * This group with `ruleNames` counting matching requests instead of
   * blocking them, for false positives (e.g. the core rule set's
   * `SizeRestrictions_BODY` on uploads over 8 KB). The reason is recorded
   * on the web ACL. Pass it in `additionalManagedRuleGroups`; a default group
   * given this way replaces the default.
   *
   * @param ruleNames rule names of the group, e.g. `['SizeRestrictions_BODY']`
   * @param justification why these rules may not block
   */
  public countOnly(ruleNames: string[], justification: Justification): ManagedRuleGroup {
    return new ManagedRuleGroup(this.name, this.capacity, this.paid, this.config, this.vendorName, [...ruleNames], justification);
  }

  /**
   * The group's statement.
   *
   * @internal
   */
  public _statement(): wafv2.CfnWebACL.StatementProperty {
    return {
      managedRuleGroupStatement: {
        vendorName: this.vendorName,
        name: this.name,
        managedRuleGroupConfigs: this.config === undefined ? undefined : [this.config],
        ruleActionOverrides: this.countOnlyRules.length === 0
          ? undefined
          : this.countOnlyRules.map((name) => ({ name, actionToUse: { count: {} } })),
      },
    };
  }
}
