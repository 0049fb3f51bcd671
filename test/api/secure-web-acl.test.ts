import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  BotControlInspectionLevel,
  ManagedRuleGroup,
  SecureWebAcl,
  SecureWebAclProps,
  SecurityProfile,
  WebAclScope,
} from '../../src';
import { enforcedStack, plainStack } from '../helpers/stacks';
import { findingLines, securityChangeDeadLetterAcks, synthesize } from '../helpers/synth';

function webAcl(props: SecureWebAclProps = {}) {
  const { app, stack } = plainStack();
  const waf = new SecureWebAcl(stack, 'Waf', props);
  const template = Template.fromStack(stack);
  const rules: any[] = Object.values<any>(template.findResources('AWS::WAFv2::WebACL'))[0].Properties.Rules;
  return { app, stack, waf, template, rules };
}

describe('SecureWebAcl zero findings', () => {
  test.each([SecurityProfile.BASELINE, SecurityProfile.REGULATED])('its defaults have zero findings in every pack of %s', (profile) => {
    const { app, stack } = enforcedStack(profile);
    new SecureWebAcl(stack, 'Waf');
    const result = synthesize(app);
    expect(findingLines(result.findings)).toEqual([]);
    // The web ACL needs no acknowledgement; the stack's monitoring has its security-change dead-letter queue's two.
    expect(result.acknowledged.map((a) => `${a.rule} @ ${a.acknowledgedAt}`).sort()).toEqual(securityChangeDeadLetterAcks('TestStack'));
  });
});

describe('SecureWebAcl defaults', () => {
  test('a regional web ACL that allows by default, rate-limits each IP first, then runs the four free managed groups', () => {
    const { template, rules } = webAcl();
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: Match.stringLikeRegexp('^TestStack-Waf-') },
    });
    expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'RateLimitPerIp'],
      [1, 'AWSManagedRulesAmazonIpReputationList'],
      [2, 'AWSManagedRulesCommonRuleSet'],
      [3, 'AWSManagedRulesKnownBadInputsRuleSet'],
      [4, 'AWSManagedRulesSQLiRuleSet'],
    ]);
    expect(rules[0]).toMatchObject({
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 1000, EvaluationWindowSec: 300 } },
      Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
    });
    for (const rule of rules.slice(1)) {
      expect(rule).toMatchObject({
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: rule.Name } },
        OverrideAction: { None: {} },
      });
      expect(rule.Statement.ManagedRuleGroupStatement.ManagedRuleGroupConfigs).toBeUndefined();
    }
    for (const rule of rules) {
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: rule.Name });
    }
  });

  test('logs to an encrypted, retained aws-waf-logs- log group, with credential headers redacted', () => {
    const { stack, waf, template } = webAcl();
    const logGroupId = stack.getLogicalId(waf.logGroup.node.defaultChild as any);
    const logGroup = template.findResources('AWS::Logs::LogGroup')[logGroupId];
    const webAclId = stack.getLogicalId(waf.node.defaultChild as any);
    // Named after the web ACL's id, so a log group kept from a deleted stack never blocks a redeploy.
    expect(logGroup.Properties).toMatchObject({
      LogGroupName: { 'Fn::Join': ['', [expect.stringMatching(/^aws-waf-logs-TestStack-Waf-[0-9A-F]{8}-$/), { 'Fn::GetAtt': [webAclId, 'Id'] }]] },
      KmsKeyId: expect.anything(),
      RetentionInDays: 90,
    });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    template.hasResource('AWS::WAFv2::LoggingConfiguration', {
      Properties: {
        ResourceArn: { 'Fn::GetAtt': [stack.getLogicalId(waf.node.defaultChild as any), 'Arn'] },
        // The ARN without the `:*` that GetAtt would add, which WAF rejects.
        LogDestinationConfigs: [{
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
            `:log-group:${logGroup.Properties.LogGroupName['Fn::Join'][1][0]}`, { 'Fn::GetAtt': [webAclId, 'Id'] }]],
        }],
        RedactedFields: ['authorization', 'cookie', 'x-api-key', 'x-amz-security-token'].map((Name) => ({ SingleHeader: { Name } })),
      },
      DependsOn: [logGroupId],
    });
  });

  test('reports its capacity, within the 1500 WCU the base price includes', () => {
    const { waf, stack } = webAcl();
    expect(waf.capacity).toBe(700 + 200 + 200 + 25 + 2);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('WCU'));
  });

  test('uses the given key and retention for its logs', () => {
    const { stack } = plainStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new SecureWebAcl(stack, 'Waf', { encryptionKey: key, logRetention: logs.RetentionDays.ONE_YEAR });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as any), 'Arn'] },
      RetentionInDays: 365,
    });
  });
});

describe('SecureWebAcl options', () => {
  test('rate limit and window are configurable', () => {
    const { rules } = webAcl({ rateLimit: 100, rateLimitWindow: Duration.minutes(1) });
    expect(rules[0].Statement.RateBasedStatement).toEqual({ AggregateKeyType: 'IP', Limit: 100, EvaluationWindowSec: 60 });
  });

  test('blocked addresses, allowed-only addresses and countries come before the rate limit', () => {
    const { stack, template, rules } = webAcl({
      blockedIpv4Cidrs: ['198.51.100.0/24'],
      blockedIpv6Cidrs: ['2001:db8:bad::/48'],
      allowedIpv4Cidrs: ['203.0.113.0/24', '192.0.2.10/32'],
      blockedCountries: ['KP', 'IR'],
    });
    const ipSet = (id: string) => ({ 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Waf').node.findChild(id) as any), 'Arn'] });
    expect(rules.map((r) => r.Name)).toEqual(['BlockedAddresses', 'OnlyAllowedAddresses', 'BlockedCountries', 'RateLimitPerIp',
      'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet']);
    expect(rules[0]).toMatchObject({
      Action: { Block: {} },
      Statement: { OrStatement: { Statements: [{ IPSetReferenceStatement: { Arn: ipSet('BlockedIpv4') } }, { IPSetReferenceStatement: { Arn: ipSet('BlockedIpv6') } }] } },
    });
    expect(rules[1]).toMatchObject({
      Action: { Block: {} },
      Statement: { NotStatement: { Statement: { IPSetReferenceStatement: { Arn: ipSet('AllowedIpv4') } } } },
    });
    expect(rules[2]).toMatchObject({ Action: { Block: {} }, Statement: { GeoMatchStatement: { CountryCodes: ['KP', 'IR'] } } });
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Scope: 'REGIONAL', IPAddressVersion: 'IPV4', Addresses: ['203.0.113.0/24', '192.0.2.10/32'] });
    template.hasResourceProperties('AWS::WAFv2::IPSet', { Scope: 'REGIONAL', IPAddressVersion: 'IPV6', Addresses: ['2001:db8:bad::/48'] });
    template.resourceCountIs('AWS::WAFv2::IPSet', 3);
  });

  test('paid groups such as Bot Control are added only when asked, with their configuration', () => {
    const additionalManagedRuleGroups = [ManagedRuleGroup.botControl(BotControlInspectionLevel.TARGETED), ManagedRuleGroup.ANONYMOUS_IP_LIST];
    const { rules, waf } = webAcl({ additionalManagedRuleGroups });
    expect(rules.at(-2).Statement.ManagedRuleGroupStatement).toEqual({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesBotControlRuleSet',
      ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'TARGETED' } }],
    });
    expect(rules.at(-1).Name).toBe('AWSManagedRulesAnonymousIpList');
    expect(ManagedRuleGroup.botControl().paid).toBe(true);
    expect([...ManagedRuleGroup.DEFAULTS, ManagedRuleGroup.ANONYMOUS_IP_LIST].some((g) => g.paid)).toBe(false);
    expect(waf.capacity).toBe(1127 + 50 + 50);
  });

  test('warns when the rules need more capacity than the base price includes', () => {
    const { stack, waf } = webAcl({ additionalManagedRuleGroups: [ManagedRuleGroup.LINUX, ManagedRuleGroup.WINDOWS] });
    expect(waf.capacity).toBe(1527);
    Annotations.fromStack(stack).hasWarning('/TestStack/Waf', Match.stringLikeRegexp('uses 1527 WCU; above 1500 AWS WAF charges an extra fee'));
  });

  test('a CloudFront web ACL in us-east-1', () => {
    const stack = new Stack(new App(), 'Edge', { env: { region: 'us-east-1', account: '111122223333' } });
    new SecureWebAcl(stack, 'Waf', { scope: WebAclScope.CLOUDFRONT });
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
  });

  test('a default group given with countOnly replaces the default, and the reason is recorded', () => {
    const crs = ManagedRuleGroup.COMMON_RULE_SET.countOnly(['SizeRestrictions_BODY'], { reason: 'document uploads up to 1 MB are expected' });
    const { rules, stack } = webAcl({ additionalManagedRuleGroups: [crs] });
    expect(rules.map((r) => r.Name)).toEqual(['RateLimitPerIp', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet']);
    expect(rules[2].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    Annotations.fromStack(stack).hasWarning('/TestStack/Waf', Match.stringLikeRegexp('waf-block:AWSManagedRulesCommonRuleSet is off \\(document uploads up to 1 MB are expected\\)'));
  });

  test('more headers can be redacted, by prop or later', () => {
    const { stack } = plainStack();
    const waf = new SecureWebAcl(stack, 'Waf', { additionalRedactedHeaders: ['X-Session'] });
    waf.redactHeader('x-session');
    waf.redactHeader('X-Tenant-Token');
    const redacted = Object.values<any>(Template.fromStack(stack).findResources('AWS::WAFv2::LoggingConfiguration'))[0].Properties.RedactedFields;
    expect(redacted.map((f: any) => f.SingleHeader.Name)).toEqual(['authorization', 'cookie', 'x-api-key', 'x-amz-security-token', 'x-session', 'x-tenant-token']);
    expect(() => waf.redactHeader('bad header')).toThrow(/a redacted header must be a header name/);
  });

  test('paid groups are called out in an info annotation', () => {
    const { stack } = webAcl({ additionalManagedRuleGroups: [ManagedRuleGroup.botControl()] });
    Annotations.fromStack(stack).hasInfo('/TestStack/Waf', Match.stringLikeRegexp('paid managed rule groups .*AWSManagedRulesBotControlRuleSet'));
  });

  test('a Marketplace group is referenced by its vendor', () => {
    const { rules } = webAcl({ additionalManagedRuleGroups: [ManagedRuleGroup.of({ vendorName: 'Acme Security', name: 'ApiShield', capacity: 100, paid: true })] });
    expect(rules.at(-1)).toMatchObject({ Name: 'ApiShield', Statement: { ManagedRuleGroupStatement: { VendorName: 'Acme Security', Name: 'ApiShield' } } });
  });

  test('associate() protects another regional resource', () => {
    const { stack } = plainStack();
    const waf = new SecureWebAcl(stack, 'Waf');
    const albArn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/abc';
    const association = waf.associate(albArn);
    expect(association.node.path).toMatch(/^TestStack\/Waf\/Association[0-9A-F]{8}$/);
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: albArn, WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(waf.node.defaultChild as any), 'Arn'] } });
  });
});

describe('SecureWebAcl validation', () => {
  test.each([
    ['the rate limit is below 10', { rateLimit: 9 }, /`rateLimit` must be a whole number between 10 and 2000000000 \(AWS WAF's bounds\), got: 9/],
    ['the rate limit is not whole', { rateLimit: 10.5 }, /`rateLimit` must be a whole number .*got: 10.5/],
    ['the window is not one WAF offers', { rateLimitWindow: Duration.minutes(3) }, /`rateLimitWindow` must be one of 60, 120, 300, 600 seconds .*got: 180 seconds/],
    ['an IPv4 CIDR is malformed', { allowedIpv4Cidrs: ['10.0.0.300/24'] }, /`allowedIpv4Cidrs` entries must be IPv4 CIDR blocks with a prefix length of 1 to 32 .*got: "10.0.0.300\/24"/],
    ['an IPv4 CIDR has no prefix', { blockedIpv4Cidrs: ['10.0.0.1'] }, /`blockedIpv4Cidrs` entries must be IPv4 CIDR blocks.*got: "10.0.0.1"/],
    ['an IPv4 CIDR is /0', { blockedIpv4Cidrs: ['0.0.0.0/0'] }, /got: "0.0.0.0\/0"/],
    ['an IPv6 CIDR is given as IPv4', { blockedIpv6Cidrs: ['10.0.0.0/8'] }, /`blockedIpv6Cidrs` entries must be IPv6 CIDR blocks with a prefix length of 1 to 128 .*got: "10.0.0.0\/8"/],
    ['an IPv6 prefix is too long', { allowedIpv6Cidrs: ['2001:db8::/129'] }, /`allowedIpv6Cidrs` entries must be IPv6 CIDR blocks/],
    ['a country code is not alpha-2', { blockedCountries: ['North Korea'] }, /`blockedCountries` entries must be ISO 3166-1 alpha-2 codes in capitals \(e.g. 'KP'\), got: "North Korea"/],
    ['a managed group is repeated', { additionalManagedRuleGroups: [ManagedRuleGroup.COMMON_RULE_SET] }, /`additionalManagedRuleGroups` repeats AWSManagedRulesCommonRuleSet; each group may appear once/],
    ['the groups exceed 5000 WCU', { additionalManagedRuleGroups: [ManagedRuleGroup.of({ vendorName: 'Acme Security', name: 'HeavyRules', capacity: 3900, paid: true })] }, /the web ACL's rules need 5027 WCU; AWS allows at most 5000/],
    ['a group capacity is not a positive whole number', { additionalManagedRuleGroups: [ManagedRuleGroup.of({ name: 'AWSManagedRulesNew', capacity: 0, paid: false })] }, /group AWSManagedRulesNew needs its capacity as a whole number of WCU above 0, got: 0/],
    ['a group name is malformed', { additionalManagedRuleGroups: [ManagedRuleGroup.of({ name: 'my rules!', capacity: 10, paid: false })] }, /names a group its vendor could not have: "AWS\/my rules!"/],
    ['a managed group takes a rule name of its own', { additionalManagedRuleGroups: [ManagedRuleGroup.of({ name: 'RateLimitPerIp', capacity: 10, paid: false })] }, /names RateLimitPerIp, a rule name SecureWebAcl uses itself/],
    ['count-only rules have a short reason', { additionalManagedRuleGroups: [ManagedRuleGroup.COMMON_RULE_SET.countOnly(['SizeRestrictions_BODY'], { reason: 'uploads' })] }, /`countOnly\(AWSManagedRulesCommonRuleSet\)` opt-out needs a reason of at least 10 characters, got: "uploads"/],
    ['count-only names no rule', { additionalManagedRuleGroups: [ManagedRuleGroup.COMMON_RULE_SET.countOnly([], { reason: 'uploads up to 1 MB are expected' })] }, /`countOnly\(AWSManagedRulesCommonRuleSet\)` needs rule names of the group/],
    ['a redacted header is not a header name', { additionalRedactedHeaders: ['x session'] }, /`additionalRedactedHeaders` entries must be header names .*got: "x session"/],
    ['WAF logs are kept forever', { logRetention: logs.RetentionDays.INFINITE }, /`logRetention` must be a bounded retention, got: INFINITE/],
  ])('fails when %s', (_name, props, message) => {
    const { stack } = plainStack();
    expect(() => new SecureWebAcl(stack, 'Waf', props as SecureWebAclProps)).toThrow(message);
  });

  test('fails when a CloudFront web ACL is outside us-east-1', () => {
    const stack = new Stack(new App(), 'Web', { env: { region: 'eu-west-1', account: '111122223333' } });
    expect(() => new SecureWebAcl(stack, 'Waf', { scope: WebAclScope.CLOUDFRONT })).toThrow(/`scope` CLOUDFRONT needs the stack in us-east-1 .*got region: "eu-west-1"/);
  });

  test('fails when a CloudFront web ACL is associated with a regional resource', () => {
    const stack = new Stack(new App(), 'Edge', { env: { region: 'us-east-1', account: '111122223333' } });
    const waf = new SecureWebAcl(stack, 'Waf', { scope: WebAclScope.CLOUDFRONT });
    expect(() => waf.associate('arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/abc'))
      .toThrow(/web ACL Edge\/Waf has scope CLOUDFRONT and cannot be associated with a regional resource/);
  });

  test('fails when WAF logs are kept under a year under REGULATED', () => {
    const { stack } = enforcedStack(SecurityProfile.REGULATED);
    expect(() => new SecureWebAcl(stack, 'Waf', { logRetention: logs.RetentionDays.ONE_MONTH })).toThrow(/`logRetention` must be at least 365 days under the REGULATED profile/);
  });
});

describe('SecureWebAcl logical ids', () => {
  test('are locked', () => {
    const { template } = webAcl({ allowedIpv4Cidrs: ['203.0.113.0/24'], blockedIpv6Cidrs: ['2001:db8::/32'] });
    expect(Object.entries<any>(template.toJSON().Resources).map(([id, r]) => `${r.Type} ${id}`).sort()).toEqual([
      'AWS::CloudWatch::Alarm AegisMonitoringDeadLetterQueues3E5F127C',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleDeadLetterFailures8CF998D2',
      'AWS::CloudWatch::Alarm AegisMonitoringRuleFailedInvocations4822AE6D',
      'AWS::CloudWatch::Alarm WafBlockedRequestsAlarm3EB2200B',
      'AWS::Events::Rule AegisMonitoringSecurityChangesKeys20149CA0',
      'AWS::Events::Rule AegisMonitoringSecurityChangesWebAcls71D3599C',
      'AWS::KMS::Key AegisEncryptionKey96B6F9C4',
      'AWS::Logs::LogGroup WafLogGroup2D6D6530',
      'AWS::SNS::Topic AegisMonitoringAlarmTopicC0CA175A',
      'AWS::SNS::TopicPolicy AegisMonitoringAlarmTopicPolicyE86CD31F',
      'AWS::SQS::Queue AegisMonitoringSecurityChangesDeadLetterQueue4C66609C',
      'AWS::SQS::QueuePolicy AegisMonitoringSecurityChangesDeadLetterQueuePolicy9083D67A',
      'AWS::WAFv2::IPSet WafAllowedIpv4706BD4A7',
      'AWS::WAFv2::IPSet WafBlockedIpv6FE8A76C4',
      'AWS::WAFv2::LoggingConfiguration WafLoggingAE8B7F9A',
      'AWS::WAFv2::WebACL WafD5E354E2',
    ]);
  });
});
