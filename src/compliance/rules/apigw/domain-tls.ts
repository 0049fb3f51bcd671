import { CfnResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** Custom domains accept TLS 1.2 or newer only. */
export const APIGW_DOMAIN_TLS: AegisRule = {
  id: 'APIGW3',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::DomainName'],
  info: 'The API Gateway custom domain accepts TLS 1.0 and 1.1.',
  explanation:
    'TLS 1.0 and 1.1 are deprecated (RFC 8996) and fail PCI DSS. Use `SecurityPolicy.TLS_1_2` or a `SecurityPolicy_TLS13_*` policy.',
  check(node: CfnResource, index: StackIndex) {
    if (!(node instanceof apigateway.CfnDomainName)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return index.resolve(node.securityPolicy) === 'TLS_1_0' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
