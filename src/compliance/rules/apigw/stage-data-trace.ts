import { CfnResource } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AegisRule } from '../rule';
import { StackIndex } from '../stack-index';

/** API Gateway stages never log full requests and responses. */
export const APIGW_STAGE_DATA_TRACE: AegisRule = {
  id: 'APIGW1',
  level: NagMessageLevel.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'],
  info: 'The API Gateway stage logs full requests and responses (data trace).',
  explanation:
    'Data trace writes request and response bodies and headers to CloudWatch Logs: tokens, personal data and secrets end up in ' +
    'logs that many people can read. Set `dataTraceEnabled: false` on every method setting; use access logs for audit.',
  check(node: CfnResource, index: StackIndex) {
    // Intrinsics (Fn::If, ...) resolve to objects, not lists: judged on what can be read, never thrown on.
    const asList = (value: unknown): any[] => (Array.isArray(value) ? value : []);
    let settings: any[];
    if (node instanceof apigateway.CfnStage) {
      settings = asList(index.resolve(node.methodSettings));
    } else if (node instanceof apigateway.CfnDeployment) {
      const description = index.resolve(node.stageDescription);
      settings = [description ?? {}, ...asList(description?.methodSettings ?? description?.MethodSettings)];
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const traced = settings.some((s) => s?.dataTraceEnabled === true || s?.DataTraceEnabled === true);
    return traced ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
