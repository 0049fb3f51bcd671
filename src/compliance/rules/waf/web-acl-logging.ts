import { CfnResource } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { referencedLogicalId } from '../../../core/private/stack-resources';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** A web ACL logs the requests it inspects. */
export const WAF_WEB_ACL_LOGGING: AegisRule = {
  id: 'WAF1',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::WAFv2::WebACL'],
  info: 'The WAF web ACL has no logging configuration in this stack.',
  explanation:
    'Without logs you cannot tell an attack from a false positive, nor prove what was blocked. Add an ' +
    '`AWS::WAFv2::LoggingConfiguration` to an encrypted, retained `aws-waf-logs-` log group (SecureWebAcl does), and redact ' +
    'credential headers.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof wafv2.CfnWebACL)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const logged = index.memo('waf:logged-acls', () => new Set(index.ofType(wafv2.CfnLoggingConfiguration.CFN_RESOURCE_TYPE_NAME)
      .map((config) => referencedLogicalId(index.resolve((config as wafv2.CfnLoggingConfiguration).resourceArn)))));
    return logged.has(index.resolve(node.logicalId)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
