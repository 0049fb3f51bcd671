import { AssemblyStack } from '../../core/private/cloud-assembly';

/**
 * The data-flow graph of a cloud assembly, derived from what its templates
 * mean: elements (resources that hold, move or guard data, and the actors
 * outside) and directed flows between them. Nothing here knows cdk-aegis
 * constructs: it reads CloudFormation only, so it works on any CDK app.
 */

/** What an element is in a data-flow diagram. @internal */
export enum ElementKind {
  ACTOR = 'actor',
  ENTRY = 'entry point',
  PROCESS = 'process',
  STORE = 'data store',
  ROUTER = 'event router',
  GUARD = 'guard',
  /** An AWS account and region the app deploys to (the boundary itself, for account-wide threats). */
  ACCOUNT = 'account',
}

/** The trust boundary an element sits in. @internal */
export enum Boundary {
  INTERNET = 'Internet',
  ACCOUNT = 'AWS account',
  AWS = 'AWS services',
}

/** One CloudFormation resource of the assembly. @internal */
export interface Resource {
  readonly stack: AssemblyStack;
  readonly logicalId: string;
  readonly type: string;
  readonly props: Record<string, any>;
  /** The construct path (`aws:cdk:path` metadata), else `<stack>/<logical id>`. */
  readonly path: string;
}

/** A node of the diagram. @internal */
export interface Element {
  /** Stable id: `<stack path>::<logical id>` for resources, `ext:<name>` for actors and services. */
  readonly id: string;
  readonly kind: ElementKind;
  readonly boundary: Boundary;
  /** What it is, e.g. `function`, `REST API`, `queue`. */
  readonly noun: string;
  /** The construct id a reader finds in the code, e.g. `CreateOrder`, or the actor's name. */
  readonly label: string;
  /** The construct path, for resources. */
  readonly constructPath?: string;
  /** The stack's construct path, for resources. */
  readonly stackPath?: string;
  readonly resource?: Resource;
}

/** How a flow was found. @internal */
export enum FlowVia {
  API = 'API integration',
  PERMISSION = 'invoke permission',
  EVENT_SOURCE_MAPPING = 'event source mapping',
  RULE = 'EventBridge rule',
  SUBSCRIPTION = 'SNS subscription',
  NOTIFICATION = 'S3 notification',
  IAM = 'IAM policy',
  LOGGING = 'log configuration',
  INTERNET = 'public endpoint',
  RESOURCE_POLICY = 'resource policy',
  GUARDS = 'guards',
  ORIGIN = 'CloudFront origin',
}

/** One way a flow is delivered asynchronously, and what catches its failures. @internal */
export interface Delivery {
  readonly via: FlowVia;
  /** The resource that configures it (rule, subscription, mapping, notification, function). */
  readonly resource: Resource;
  /** What catches a delivery that keeps failing, e.g. `DeadLetterConfig.Arn → OrdersDlq`; undefined when nothing does. */
  readonly failurePath?: string;
}

/** A Lambda permission behind a flow. @internal */
export interface Permission {
  readonly resource: Resource;
  readonly principal: string;
  readonly hasSourceArn: boolean;
  readonly hasSourceAccount: boolean;
}

/** An IAM grant behind a flow: the principal's role and the actions it allows on the target. @internal */
export interface Grant {
  readonly role: Resource;
  readonly actions: string[];
  /** What the resource patterns add after the target's ARN, e.g. `/incoming/*.jpg`, `/*`, or `` for the ARN itself. */
  readonly scopes: string[];
}

/** A directed flow of data between two elements. @internal */
export interface Flow {
  readonly id: string;
  readonly from: Element;
  readonly to: Element;
  /** Protocol, route or IAM actions, deduplicated. */
  readonly labels: Set<string>;
  readonly vias: Set<FlowVia>;
  readonly deliveries: Delivery[];
  readonly permissions: Permission[];
  readonly grants: Grant[];
  /** S3 object-key filters of the events that make this flow (prefix and suffix), when there are any. */
  readonly keyFilters: string[];
  /** Whether the flow crosses a stack boundary (a cross-stack reference). */
  crossStack: boolean;
}

/** A statement of a role's policies, as the template writes it. @internal */
export interface Statement {
  readonly role: Resource;
  /** The policy that holds it: a logical id, or the AWS managed policy's name. */
  readonly policy: string;
  readonly actions: string[];
  /** Literal resource patterns with a wildcard (`*`, `arn:aws:s3:::*`), as written. */
  readonly wildcardResources: string[];
  /** Whether an AWS managed policy grants it (its statements are not in the template). */
  readonly awsManaged: boolean;
  /** `NotAction` / `NotResource`: everything but what is listed, a wildcard in disguise. */
  readonly negated?: string;
}

const RESOURCE_KINDS: Record<string, [ElementKind, string]> = {
  'AWS::Lambda::Function': [ElementKind.PROCESS, 'function'],
  'AWS::StepFunctions::StateMachine': [ElementKind.PROCESS, 'state machine'],
  'AWS::ApiGateway::RestApi': [ElementKind.ENTRY, 'REST API'],
  'AWS::ApiGatewayV2::Api': [ElementKind.ENTRY, 'HTTP API'],
  'AWS::Lambda::Url': [ElementKind.ENTRY, 'function URL'],
  'AWS::CloudFront::Distribution': [ElementKind.ENTRY, 'CDN distribution'],
  'AWS::DynamoDB::Table': [ElementKind.STORE, 'table'],
  'AWS::DynamoDB::GlobalTable': [ElementKind.STORE, 'table'],
  'AWS::S3::Bucket': [ElementKind.STORE, 'bucket'],
  'AWS::SQS::Queue': [ElementKind.STORE, 'queue'],
  'AWS::SNS::Topic': [ElementKind.STORE, 'topic'],
  'AWS::SecretsManager::Secret': [ElementKind.STORE, 'secret'],
  'AWS::Logs::LogGroup': [ElementKind.STORE, 'log group'],
  'AWS::Kinesis::Stream': [ElementKind.STORE, 'stream'],
  'AWS::Events::Rule': [ElementKind.ROUTER, 'EventBridge rule'],
  'AWS::Events::EventBus': [ElementKind.ROUTER, 'event bus'],
  'AWS::WAFv2::WebACL': [ElementKind.GUARD, 'web ACL'],
  'AWS::ApiGateway::Authorizer': [ElementKind.GUARD, 'authorizer'],
  'AWS::ApiGatewayV2::Authorizer': [ElementKind.GUARD, 'authorizer'],
  'AWS::KMS::Key': [ElementKind.GUARD, 'KMS key'],
  'AWS::CloudTrail::Trail': [ElementKind.GUARD, 'trail'],
};

/** Resources that stand for an element: a version or alias is its function, a stage its API. */
const STANDS_FOR: Record<string, string> = {
  'AWS::Lambda::Version': 'FunctionName',
  'AWS::Lambda::Alias': 'FunctionName',
  'AWS::ApiGateway::Stage': 'RestApiId',
  'AWS::ApiGateway::Deployment': 'RestApiId',
  'AWS::ApiGateway::Method': 'RestApiId',
  'AWS::ApiGatewayV2::Stage': 'ApiId',
  'AWS::KMS::Alias': 'TargetKeyId',
};

/**
 * Resource policy types and the property that names what they are attached
 * to (`.`: the policy is a property of the resource itself).
 */
const RESOURCE_POLICIES: ReadonlyArray<[string, string]> = [
  ['AWS::SQS::QueuePolicy', 'Queues'],
  ['AWS::SQS::QueueInlinePolicy', 'Queue'],
  ['AWS::SNS::TopicPolicy', 'Topics'],
  ['AWS::SNS::TopicInlinePolicy', 'TopicArn'],
  ['AWS::S3::BucketPolicy', 'Bucket'],
  ['AWS::Events::EventBusPolicy', 'EventBusName'],
  ['AWS::Events::EventBus', '.'],
];

/**
 * The statements of a resource policy, whatever its form: a `PolicyDocument`,
 * an event bus's `Policy`, or the legacy `EventBusPolicy` shape (a top-level
 * `Statement`, or `Principal` + `Action` + `Condition`).
 *
 * @internal
 */
export function policyStatements(policy: Resource): any[] {
  const p = policy.props;
  const document = policy.type === 'AWS::Events::EventBus' ? p.Policy : p.PolicyDocument;
  if (document !== undefined) {
    return [document?.Statement].flat().filter((x) => x && typeof x === 'object');
  }
  if (p.Statement !== undefined) {
    return [p.Statement].flat().filter((x) => x && typeof x === 'object');
  }
  if (p.Principal !== undefined) {
    return [{ Effect: 'Allow', Principal: p.Principal === '*' ? '*' : { AWS: p.Principal }, Action: p.Action, Condition: p.Condition }];
  }
  return [];
}

/**
 * Where each element type names the role it acts with. Only these make an
 * element a role's user: a role ARN in an environment variable does not.
 */
const ROLE_PROPERTIES: Record<string, (props: Record<string, any>) => unknown[]> = {
  'AWS::Lambda::Function': (p) => [p.Role],
  'AWS::StepFunctions::StateMachine': (p) => [p.RoleArn],
  'AWS::Events::Rule': (p) => [p.RoleArn, ...(Array.isArray(p.Targets) ? p.Targets.map((t: any) => t?.RoleArn) : [])],
};

/** Read verbs: data flows from the resource to the caller. Everything else writes. */
const READ_VERB = /^(Get|List|Describe|Query|Scan|BatchGet|Receive|Select|Head|Lookup|Search|Decrypt|Export|Read|View|Check|ConditionCheck|Download|Subscribe)/;

/** Whether an IAM action reads (data flows to the caller); `svc:*` and `*` both read and write. */
export function actionReads(action: string): boolean {
  const verb = action.split(':')[1] ?? action;
  return verb === '*' || action === '*' || READ_VERB.test(verb);
}

/** Whether an IAM action writes or changes the resource. */
export function actionWrites(action: string): boolean {
  const verb = action.split(':')[1] ?? action;
  return verb === '*' || action === '*' || !READ_VERB.test(verb);
}

const EXTERNAL: Record<string, Omit<Element, 'id'>> = {
  'internet': { kind: ElementKind.ACTOR, boundary: Boundary.INTERNET, noun: 'actor', label: 'Internet clients' },
  'other-accounts': { kind: ElementKind.ACTOR, boundary: Boundary.INTERNET, noun: 'actor', label: 'Other AWS accounts' },
  'subscribers': { kind: ElementKind.ACTOR, boundary: Boundary.INTERNET, noun: 'actor', label: 'Email and HTTPS subscribers' },
  'default-bus': { kind: ElementKind.ROUTER, boundary: Boundary.AWS, noun: 'event bus', label: 'EventBridge default bus' },
  'scheduler': { kind: ElementKind.ROUTER, boundary: Boundary.AWS, noun: 'schedule', label: 'EventBridge schedules' },
  'this-account': { kind: ElementKind.ACTOR, boundary: Boundary.ACCOUNT, noun: 'actor', label: 'IAM principals of this account' },
};

/** The data-flow graph of an assembly. @internal */
export class FlowGraph {
  public readonly elements = new Map<string, Element>();
  public readonly flows = new Map<string, Flow>();
  /** Every role's statements, by role element key (`<stack>::<logical id>`). */
  public readonly statements = new Map<string, Statement[]>();
  /** The elements each role acts for (a function, a rule target, a trail). */
  public readonly roleUsers = new Map<string, Element[]>();
  /** Guards of each element: web ACLs and authorizers in front of an API. */
  public readonly guards = new Map<string, Element[]>();
  /** Flows by the element they end at, and by the element they start from. */
  private readonly flowsTo = new Map<string, Flow[]>();
  private readonly flowsFrom = new Map<string, Flow[]>();

  private readonly resources: Resource[] = [];
  private readonly byType = new Map<string, Resource[]>();
  private readonly byKey = new Map<string, Resource>();
  /** The roles each element acts with (role keys), the reverse of `roleUsers`. */
  private readonly rolesByUser = new Map<string, string[]>();
  /** Resources that reference a logical id: `<stack>::<id>` → resources. */
  private readonly referrers = new Map<string, Resource[]>();
  private readonly exportsByName = new Map<string, { stack: AssemblyStack; value: unknown }>();
  private readonly outputsByStack = new Map<string, { stack: AssemblyStack; outputs: Record<string, any> }>();
  /** Values CDK's cross-region export writers put into SSM parameters, by parameter name. */
  private readonly crossRegionExports = new Map<string, { stack: AssemblyStack; value: unknown }>();

  /**
   * @param stacks the stacks of the assembly
   * @param constructPaths `<stack path>::<logical id>` → construct path, from `tree.json`, for templates written without `aws:cdk:path` metadata
   */
  constructor(public readonly stacks: AssemblyStack[], constructPaths: ReadonlyMap<string, string> = new Map()) {
    for (const stack of stacks) {
      this.outputsByStack.set(stack.stackName, { stack, outputs: stack.template.Outputs ?? {} });
      for (const output of Object.values<any>(stack.template.Outputs ?? {})) {
        if (typeof output?.Export?.Name === 'string') {
          this.exportsByName.set(output.Export.Name, { stack, value: output.Value });
        }
      }
      for (const [logicalId, r] of Object.entries<any>(stack.template.Resources ?? {})) {
        if (r?.Type === 'Custom::CrossRegionExportWriter') {
          for (const [name, value] of Object.entries<unknown>(r.Properties?.WriterProps?.exports ?? {})) {
            this.crossRegionExports.set(name, { stack, value });
          }
        }
        const cdkPath = r?.Metadata?.['aws:cdk:path'];
        const resource: Resource = {
          stack,
          logicalId,
          type: String(r?.Type),
          props: r?.Properties ?? {},
          path: typeof cdkPath === 'string' ? cdkPath : constructPaths.get(key(stack, logicalId)) ?? `${stack.path}/${logicalId}`,
        };
        this.resources.push(resource);
        this.byKey.set(key(stack, logicalId), resource);
        pushTo(this.byType, resource.type, resource);
      }
    }
    for (const resource of this.resources) {
      for (const id of localRefs(resource.props)) {
        pushTo(this.referrers, key(resource.stack, id), resource);
      }
    }
    for (const resource of this.resources) {
      const kind = RESOURCE_KINDS[resource.type];
      if (kind) {
        this.addResourceElement(resource, this.takesUploads(resource) ? [ElementKind.ENTRY, kind[1]] : kind);
      }
    }
    this.deriveFlows();
  }

  /**
   * A bucket takes uploads from outside the account when its CORS rules allow
   * browsers to PUT or POST (presigned uploads), or its policy lets anyone put objects.
   */
  private takesUploads(resource: Resource): boolean {
    if (resource.type !== 'AWS::S3::Bucket') {
      return false;
    }
    const cors = [resource.props.CorsConfiguration?.CorsRules ?? []].flat();
    if (cors.some((rule: any) => [rule.AllowedMethods ?? []].flat().some((m: string) => m === 'PUT' || m === 'POST'))) {
      return true;
    }
    return (this.referrers.get(key(resource.stack, resource.logicalId)) ?? [])
      .filter((r) => r.type === 'AWS::S3::BucketPolicy')
      .flatMap(policyStatements)
      .some((st: any) => st.Effect === 'Allow' && isAnyone(st.Principal) && st.Condition === undefined && [st.Action].flat().some((a: string) => a === '*' || a === 's3:*' || a === 's3:PutObject'));
  }

  /** Resources of a type. */
  public ofType(...types: string[]): Resource[] {
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  /** The statements of every resource policy attached to `element` (queue, topic, bucket or bus). */
  public resourcePolicyStatements(element: Element): any[] {
    const attached = RESOURCE_POLICIES.filter(([, by]) => by !== '.').map(([type]) => type);
    const own = element.resource?.type === 'AWS::Events::EventBus' ? policyStatements(element.resource) : [];
    return [...own, ...this.referring(element, ...attached).flatMap(policyStatements)];
  }

  /** The flows that end at `element`. */
  public flowsInto(element: Element): Flow[] {
    return this.flowsTo.get(element.id) ?? [];
  }

  /** The flows that start or end at `element`. */
  public flowsOf(element: Element): Flow[] {
    return [...(this.flowsFrom.get(element.id) ?? []), ...(this.flowsTo.get(element.id) ?? [])];
  }

  /** The roles (by key) whose users include `element`. */
  public rolesOf(element: Element): string[] {
    return this.rolesByUser.get(element.id) ?? [];
  }

  /** Resources of `type` whose properties reference `element`'s resource. */
  public referring(element: Element, ...types: string[]): Resource[] {
    const r = element.resource;
    return r ? (this.referrers.get(key(r.stack, r.logicalId)) ?? []).filter((x) => types.includes(x.type)) : [];
  }

  /** The element of a resource, if it is one. */
  public elementOf(resource: Resource): Element | undefined {
    return this.elements.get(key(resource.stack, resource.logicalId));
  }

  /** The elements an expression of `stack`'s template references, and whether any is in another stack. */
  public targets(stack: AssemblyStack, expr: unknown): { elements: Element[]; crossStack: boolean } {
    const found = new Map<string, Element>();
    let crossStack = false;
    const add = (s: AssemblyStack, logicalId: string, depth = 0) => {
      const element = this.resolve(s, logicalId, depth);
      if (element) {
        found.set(element.id, element);
        crossStack ||= s !== stack;
      }
    };
    for (const id of localRefs(expr)) {
      add(stack, id);
    }
    for (const imported of foreignRefs(expr)) {
      const source = this.exported(imported);
      if (source) {
        for (const id of localRefs(source.value)) {
          add(source.stack, id);
        }
      }
    }
    return { elements: [...found.values()], crossStack };
  }

  /** The resource a logical id names in a stack. */
  public resource(stack: AssemblyStack, logicalId: string): Resource | undefined {
    return this.byKey.get(key(stack, logicalId));
  }

  private exported(ref: ForeignRef): { stack: AssemblyStack; value: unknown } | undefined {
    if (ref.crossRegionParameter !== undefined) {
      return this.crossRegionExports.get(ref.crossRegionParameter);
    }
    if (ref.exportName !== undefined) {
      return this.exportsByName.get(ref.exportName);
    }
    const source = this.outputsByStack.get(ref.stackName!);
    const output = source?.outputs[ref.outputName!];
    return source && output ? { stack: source.stack, value: output.Value } : undefined;
  }

  private resolve(stack: AssemblyStack, logicalId: string, depth: number): Element | undefined {
    const element = this.elements.get(key(stack, logicalId));
    if (element || depth > 3) {
      return element;
    }
    const resource = this.byKey.get(key(stack, logicalId));
    const via = resource ? STANDS_FOR[resource.type] : undefined;
    if (!resource || !via) {
      return undefined;
    }
    return localRefs(resource.props[via]).map((id) => this.resolve(stack, id, depth + 1)).find((e) => e !== undefined);
  }

  private addResourceElement(resource: Resource, [kind, noun]: [ElementKind, string]): void {
    const id = key(resource.stack, resource.logicalId);
    this.elements.set(id, {
      id,
      kind,
      boundary: Boundary.ACCOUNT,
      noun,
      label: labelOf(resource),
      constructPath: resource.path,
      stackPath: resource.stack.path,
      resource,
    });
  }

  /** An actor or AWS service outside the account's resources. */
  public external(name: string, override?: Partial<Element>): Element {
    const id = `ext:${name}`;
    let element = this.elements.get(id);
    if (!element) {
      element = { id, ...(EXTERNAL[name] ?? { kind: ElementKind.ACTOR, boundary: Boundary.AWS, noun: 'AWS service', label: name }), ...override };
      this.elements.set(id, element);
    }
    return element;
  }

  /** Adds (or merges into) the flow `from → to`. */
  public flow(from: Element, to: Element, via: FlowVia, label?: string, crossStack = false): Flow {
    const id = `${from.id}->${to.id}`;
    let flow = this.flows.get(id);
    if (!flow) {
      flow = { id, from, to, labels: new Set(), vias: new Set(), deliveries: [], permissions: [], grants: [], keyFilters: [], crossStack: false };
      this.flows.set(id, flow);
      pushTo(this.flowsTo, to.id, flow);
      pushTo(this.flowsFrom, from.id, flow);
    }
    flow.vias.add(via);
    if (label) {
      flow.labels.add(label);
    }
    flow.crossStack ||= crossStack;
    return flow;
  }

  private deriveFlows(): void {
    this.publicEndpoints();
    this.apiIntegrations();
    this.distributionOrigins();
    this.invokePermissions();
    this.eventSourceMappings();
    this.rules();
    this.subscriptions();
    this.bucketNotifications();
    this.logging();
    this.guardsInFront();
    this.roles();
    this.resourcePolicies();
    // One label per flow for all the IAM actions behind it, however many statements grant them.
    for (const flow of this.flows.values()) {
      if (flow.grants.length > 0) {
        flow.labels.add(shortActions(flow.grants.flatMap((g) => g.actions)));
      }
    }
  }

  /**
   * Queue, topic, bucket and bus policies: a service they admit writes to
   * them, from the source its `aws:SourceArn` names when that is in the app
   * (a topic's dead-letter queue), else from the service itself (CloudWatch alarms).
   */
  private resourcePolicies(): void {
    for (const [type, attachedTo] of RESOURCE_POLICIES) {
      for (const policy of this.ofType(type)) {
        const targets = attachedTo === '.' ? [this.elementOf(policy)!] : this.targets(policy.stack, policy.props[attachedTo]).elements;
        for (const statement of policyStatements(policy)) {
          const services: string[] = [statement.Principal?.Service].flat().filter((x) => typeof x === 'string');
          if (statement.Effect !== 'Allow') {
            continue;
          }
          const allowed: string[] = [statement.Action].flat().filter((a) => typeof a === 'string');
          // Principals outside the account: anyone (with no condition), or the accounts a statement names.
          const outside = isAnyone(statement.Principal) && statement.Condition === undefined ? this.external('internet')
            : foreignAccounts(statement.Principal, policy.stack.environment).length > 0 ? this.external('other-accounts') : undefined;
          for (const to of outside ? targets : []) {
            this.policyFlows(outside!, to, allowed, false);
          }
          if (services.length === 0) {
            continue;
          }
          const conditions = Object.values<any>(statement.Condition ?? {}).flatMap((block) =>
            Object.entries<any>(block ?? {}).filter(([k]) => k.toLowerCase() === 'aws:sourcearn').map(([, v]) => v));
          const known = this.targets(policy.stack, conditions);
          for (const to of targets) {
            const sources = known.elements.length > 0 ? known.elements : services.map((service) => this.external(service, { label: service.split('.')[0] }));
            for (const from of sources.filter((f) => f.id !== to.id)) {
              this.policyFlows(from, to, allowed, known.crossStack);
            }
          }
        }
      }
    }
  }

  /** A principal a resource policy admits: reads flow out of the resource, writes into it. */
  private policyFlows(principal: Element, resource: Element, actions: string[], crossStack: boolean): void {
    const reads = actions.filter(actionReads);
    const writes = actions.filter(actionWrites);
    if (reads.length > 0) {
      this.flow(resource, principal, FlowVia.RESOURCE_POLICY, shortActions(reads), crossStack);
    }
    if (writes.length > 0 || actions.length === 0) {
      this.flow(principal, resource, FlowVia.RESOURCE_POLICY, shortActions(writes), crossStack);
    }
  }

  /** The internet reaches every API that is not private, and every function URL. */
  private publicEndpoints(): void {
    for (const element of [...this.elements.values()].filter((e) => e.kind === ElementKind.ENTRY)) {
      const props = element.resource!.props;
      const types: unknown = props.EndpointConfiguration?.Types;
      if (Array.isArray(types) && types.length > 0 && types.every((t) => t === 'PRIVATE')) {
        continue;
      }
      this.flow(this.external('internet'), element, FlowVia.INTERNET, element.noun === 'bucket' ? 'HTTPS uploads' : 'HTTPS');
      if (element.resource!.type === 'AWS::Lambda::Url') {
        // The URL hands the request to its function.
        for (const fn of this.targets(element.resource!.stack, props.TargetFunctionArn).elements) {
          this.flow(element, fn, FlowVia.API, `invoke (auth ${props.AuthType ?? 'unset'})`);
        }
      }
    }
  }

  /** A CloudFront distribution → each origin of the app it forwards to (bucket, API, function URL), and its Lambda@Edge functions. */
  private distributionOrigins(): void {
    for (const distribution of this.ofType('AWS::CloudFront::Distribution')) {
      const from = this.elementOf(distribution)!;
      for (const behaviour of distributionBehavioursOf(distribution)) {
        for (const association of [behaviour.LambdaFunctionAssociations ?? []].flat()) {
          const { elements, crossStack } = this.targets(distribution.stack, association?.LambdaFunctionARN);
          for (const fn of elements) {
            this.flow(from, fn, FlowVia.API, `Lambda@Edge ${association.EventType}`, crossStack);
          }
        }
      }
      for (const origin of distributionOriginsOf(distribution)) {
        const { elements, crossStack } = this.targets(distribution.stack, origin.DomainName);
        for (const target of elements) {
          this.flow(from, target, FlowVia.ORIGIN, origin.OriginAccessControlId !== undefined ? 'origin requests (signed, OAC)' : 'origin requests', crossStack);
        }
      }
    }
  }

  /** REST API methods and HTTP API routes → the functions they integrate. */
  private apiIntegrations(): void {
    for (const method of this.ofType('AWS::ApiGateway::Method')) {
      const api = this.targets(method.stack, method.props.RestApiId).elements[0];
      const integration = method.props.Integration ?? {};
      if (!api || integration.Type === 'MOCK') {
        continue;
      }
      const route = `${method.props.HttpMethod} ${this.resourcePath(method)}`;
      const { elements, crossStack } = this.targets(method.stack, integration.Uri);
      for (const target of elements.filter((e) => e.kind === ElementKind.PROCESS)) {
        this.flow(api, target, FlowVia.API, route, crossStack);
      }
    }
    const integrations = new Map(this.ofType('AWS::ApiGatewayV2::Integration').map((i) => [key(i.stack, i.logicalId), i]));
    for (const route of this.ofType('AWS::ApiGatewayV2::Route')) {
      const api = this.targets(route.stack, route.props.ApiId).elements[0];
      const integration = localRefs(route.props.Target).map((id) => integrations.get(key(route.stack, id))).find((i) => i !== undefined);
      if (!api || !integration) {
        continue;
      }
      const { elements, crossStack } = this.targets(integration.stack, integration.props.IntegrationUri);
      for (const target of elements) {
        this.flow(api, target, FlowVia.API, String(route.props.RouteKey ?? 'route'), crossStack);
      }
    }
  }

  /** `/orders/{id}` for a method, from its resource's path parts. */
  public resourcePath(method: Resource): string {
    const parts: string[] = [];
    let current = localRefs(method.props.ResourceId).map((id) => this.resource(method.stack, id)).find((r) => r?.type === 'AWS::ApiGateway::Resource');
    for (let guard = 0; current && guard < 50; guard++) {
      parts.unshift(String(current.props.PathPart));
      current = localRefs(current.props.ParentId).map((id) => this.resource(method.stack, id)).find((r) => r?.type === 'AWS::ApiGateway::Resource');
    }
    return `/${parts.join('/')}`;
  }

  /** Lambda permissions: who may invoke a function, and from which source. */
  private invokePermissions(): void {
    for (const permission of this.ofType('AWS::Lambda::Permission')) {
      const fn = this.targets(permission.stack, permission.props.FunctionName).elements[0];
      if (!fn) {
        continue;
      }
      const principal = flattenArn(permission.props.Principal);
      const sourceTargets = this.targets(permission.stack, permission.props.SourceArn);
      let sources = sourceTargets.elements.filter((e) => e.id !== fn.id);
      if (sources.length === 0) {
        const own = /^aws:\/\/(\d{12})\//.exec(permission.stack.environment)?.[1];
        sources = [principal === '*' ? this.external('internet')
          : /\.amazonaws\.com(\.cn)?$/.test(principal) ? this.external(principal, { label: `any ${principal.split('.')[0]} resource` })
            : principal.includes('${AWS::AccountId}') || (own !== undefined && principal.includes(own)) ? this.external('this-account')
              : this.external('other-accounts')];
      }
      for (const source of sources) {
        const flow = this.flow(source, fn, FlowVia.PERMISSION, String(permission.props.Action ?? 'lambda:InvokeFunction'), sourceTargets.crossStack);
        flow.permissions.push({
          resource: permission,
          principal,
          hasSourceArn: permission.props.SourceArn !== undefined,
          hasSourceAccount: permission.props.SourceAccount !== undefined,
        });
      }
    }
  }

  /** Event source mappings: a function polls a queue, stream or table stream. */
  private eventSourceMappings(): void {
    for (const mapping of this.ofType('AWS::Lambda::EventSourceMapping')) {
      const fn = this.targets(mapping.stack, mapping.props.FunctionName).elements[0];
      const { elements, crossStack } = this.targets(mapping.stack, mapping.props.EventSourceArn);
      for (const source of elements) {
        if (!fn) {
          continue;
        }
        const flow = this.flow(source, fn, FlowVia.EVENT_SOURCE_MAPPING, `poll ${source.noun}`, crossStack);
        flow.deliveries.push({ via: FlowVia.EVENT_SOURCE_MAPPING, resource: mapping, failurePath: this.mappingFailurePath(mapping, source) });
      }
    }
  }

  private mappingFailurePath(mapping: Resource, source: Element): string | undefined {
    const onFailure = mapping.props.DestinationConfig?.OnFailure?.Destination;
    if (onFailure !== undefined) {
      return `DestinationConfig.OnFailure → ${this.describe(mapping.stack, onFailure)}`;
    }
    const redrive = source.resource?.type === 'AWS::SQS::Queue' ? source.resource.props.RedrivePolicy?.deadLetterTargetArn : undefined;
    return redrive !== undefined ? `the queue's RedrivePolicy → ${this.describe(source.resource!.stack, redrive)}` : undefined;
  }

  /** EventBridge rules: their source (a bus, a bucket's events, a schedule) and their targets. */
  private rules(): void {
    for (const rule of this.ofType('AWS::Events::Rule')) {
      const element = this.elementOf(rule)!;
      const pattern = rule.props.EventPattern ?? {};
      const buckets = this.targets(rule.stack, pattern.detail?.bucket?.name).elements.filter((e) => e.noun === 'bucket');
      const detailTypes: string[] = Array.isArray(pattern['detail-type']) ? pattern['detail-type'].map(String) : [];
      if (buckets.length > 0) {
        for (const bucket of buckets) {
          const flow = this.flow(bucket, element, FlowVia.RULE, `S3 ${detailTypes.join(', ') || 'events'}`);
          flow.keyFilters.push(...keyFiltersOfPattern(pattern.detail?.object?.key));
        }
      } else if (rule.props.ScheduleExpression !== undefined) {
        this.flow(this.external('scheduler'), element, FlowVia.RULE, String(rule.props.ScheduleExpression));
      } else {
        const bus = rule.props.EventBusName !== undefined ? this.targets(rule.stack, rule.props.EventBusName).elements[0] : undefined;
        const sources: string[] = Array.isArray(pattern.source) ? pattern.source.map(String) : [];
        this.flow(bus ?? this.external('default-bus'), element, FlowVia.RULE, [...sources, ...detailTypes].join(' · ') || 'events');
      }
      for (const target of Array.isArray(rule.props.Targets) ? rule.props.Targets : []) {
        const { elements, crossStack } = this.targets(rule.stack, target.Arn);
        for (const to of elements) {
          const flow = this.flow(element, to, FlowVia.RULE, 'event', crossStack);
          const dlq = target.DeadLetterConfig?.Arn;
          flow.deliveries.push({ via: FlowVia.RULE, resource: rule, failurePath: dlq !== undefined ? `DeadLetterConfig → ${this.describe(rule.stack, dlq)}` : undefined });
          // The same events reach the target: carry the rule's key filters to the target flow.
          flow.keyFilters.push(...this.flowsInto(element).flatMap((f) => f.keyFilters));
          if (to.kind === ElementKind.PROCESS) {
            this.asyncInvocation(flow, to);
          }
        }
      }
    }
  }

  /** SNS subscriptions: topic → function, queue, or email/HTTPS subscribers. */
  private subscriptions(): void {
    const subscribe = (topic: Element, protocol: string, endpoint: unknown, resource: Resource, redrive: unknown) => {
      const { elements, crossStack } = this.targets(resource.stack, endpoint);
      const targets = elements.length > 0 ? elements : ['email', 'email-json', 'http', 'https', 'sms'].includes(protocol) ? [this.external('subscribers')] : [];
      for (const to of targets) {
        const flow = this.flow(topic, to, FlowVia.SUBSCRIPTION, protocol, crossStack);
        flow.deliveries.push({ via: FlowVia.SUBSCRIPTION, resource, failurePath: redrive !== undefined ? `RedrivePolicy → ${this.describe(resource.stack, redrive)}` : undefined });
        if (to.kind === ElementKind.PROCESS) {
          this.asyncInvocation(flow, to);
        }
      }
    };
    for (const subscription of this.ofType('AWS::SNS::Subscription')) {
      const topic = this.targets(subscription.stack, subscription.props.TopicArn).elements[0];
      if (topic) {
        const redrive = subscription.props.RedrivePolicy?.deadLetterTargetArn;
        subscribe(topic, String(subscription.props.Protocol), subscription.props.Endpoint, subscription, redrive);
      }
    }
    for (const topic of this.ofType('AWS::SNS::Topic')) {
      for (const inline of Array.isArray(topic.props.Subscription) ? topic.props.Subscription : []) {
        subscribe(this.elementOf(topic)!, String(inline.Protocol), inline.Endpoint, topic, undefined);
      }
    }
  }

  /** S3 event notifications (the custom resource aws-cdk-lib writes, or the bucket's own configuration). */
  private bucketNotifications(): void {
    const notify = (bucket: Element, config: any, resource: Resource) => {
      const groups: Array<[string, string]> = [['LambdaFunctionConfigurations', 'LambdaFunctionArn'], ['QueueConfigurations', 'QueueArn'], ['TopicConfigurations', 'TopicArn'],
        ['LambdaConfigurations', 'Function'], ['QueueConfigurations', 'Queue'], ['TopicConfigurations', 'Topic']];
      for (const [group, arnKey] of groups) {
        for (const entry of Array.isArray(config?.[group]) ? config[group] : []) {
          if (entry[arnKey] === undefined) {
            continue;
          }
          const { elements, crossStack } = this.targets(resource.stack, entry[arnKey]);
          for (const to of elements) {
            const events = Array.isArray(entry.Events) ? entry.Events.join(', ') : entry.Event ?? 'events';
            const flow = this.flow(bucket, to, FlowVia.NOTIFICATION, `S3 ${events}`, crossStack);
            flow.keyFilters.push(...keyFiltersOfNotification(entry.Filter));
            // S3 delivers to queues and topics durably; only a function invocation can fail and needs a failure path.
            if (to.kind === ElementKind.PROCESS) {
              this.asyncInvocation(flow, to);
            }
          }
        }
      }
      if (config?.EventBridgeConfiguration !== undefined) {
        this.flow(bucket, this.external('default-bus'), FlowVia.NOTIFICATION, 'S3 events to EventBridge');
      }
    };
    for (const custom of this.ofType('Custom::S3BucketNotifications')) {
      const bucket = this.targets(custom.stack, custom.props.BucketName).elements[0];
      if (bucket) {
        notify(bucket, custom.props.NotificationConfiguration, custom);
      }
    }
    for (const bucket of this.ofType('AWS::S3::Bucket')) {
      if (bucket.props.NotificationConfiguration) {
        notify(this.elementOf(bucket)!, bucket.props.NotificationConfiguration, bucket);
      }
    }
  }

  /** An asynchronous invocation: the function's own failure path (dead-letter queue or on-failure destination). */
  private asyncInvocation(flow: Flow, fn: Element): void {
    const props = fn.resource!.props;
    const invokeConfig = this.referring(fn, 'AWS::Lambda::EventInvokeConfig')[0];
    const onFailure = invokeConfig?.props.DestinationConfig?.OnFailure?.Destination;
    const failurePath = props.DeadLetterConfig?.TargetArn !== undefined ? `the function's DeadLetterConfig → ${this.describe(fn.resource!.stack, props.DeadLetterConfig.TargetArn)}`
      : onFailure !== undefined ? `the function's on-failure destination → ${this.describe(fn.resource!.stack, onFailure)}` : undefined;
    flow.deliveries.push({ via: FlowVia.PERMISSION, resource: fn.resource!, failurePath });
  }

  /** Functions write their logs to the log group their LoggingConfig names. */
  private logging(): void {
    for (const fn of this.ofType('AWS::Lambda::Function')) {
      for (const group of this.targets(fn.stack, fn.props.LoggingConfig?.LogGroup).elements) {
        this.flow(this.elementOf(fn)!, group, FlowVia.LOGGING, 'logs');
      }
    }
  }

  /** Web ACLs and authorizers in front of APIs. */
  private guardsInFront(): void {
    const guard = (guardElement: Element | undefined, protectedElements: Element[]) => {
      for (const element of protectedElements) {
        if (guardElement && element.kind === ElementKind.ENTRY) {
          pushTo(this.guards, element.id, guardElement);
        }
      }
    };
    for (const association of this.ofType('AWS::WAFv2::WebACLAssociation')) {
      const webAcl = this.targets(association.stack, association.props.WebACLArn).elements[0];
      guard(webAcl, this.targets(association.stack, association.props.ResourceArn).elements);
    }
    for (const distribution of this.ofType('AWS::CloudFront::Distribution')) {
      // A distribution takes its web ACL by ARN (no association).
      const webAcl = this.targets(distribution.stack, distribution.props.DistributionConfig?.WebACLId).elements[0];
      guard(webAcl, [this.elementOf(distribution)!]);
    }
    for (const authorizer of this.ofType('AWS::ApiGateway::Authorizer')) {
      guard(this.elementOf(authorizer), this.targets(authorizer.stack, authorizer.props.RestApiId).elements);
    }
    for (const authorizer of this.ofType('AWS::ApiGatewayV2::Authorizer')) {
      guard(this.elementOf(authorizer), this.targets(authorizer.stack, authorizer.props.ApiId).elements);
    }
  }

  /** Roles: who uses each, what its statements allow, and the data flows its grants make. */
  private roles(): void {
    const policiesOf = new Map<string, Array<{ name: string; document: any; stack: AssemblyStack }>>();
    const attach = (stack: AssemblyStack, roles: unknown, name: string, document: any) => {
      for (const id of localRefs(roles)) {
        pushTo(policiesOf, key(stack, id), { name, document, stack });
      }
    };
    const attached = new Map<string, Set<string>>();
    for (const policy of this.ofType('AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy')) {
      attach(policy.stack, policy.props.Roles, policy.logicalId, policy.props.PolicyDocument);
      for (const id of localRefs(policy.props.Roles)) {
        pushToSet(attached, key(policy.stack, id), policy.logicalId);
      }
    }
    // Elements acting with each role, through the properties that name a role.
    const usersOf = new Map<string, Element[]>();
    for (const [type, rolesOf] of Object.entries(ROLE_PROPERTIES)) {
      for (const resource of this.ofType(type)) {
        const element = this.elementOf(resource);
        for (const id of localRefs(rolesOf(resource.props).filter((r) => r !== undefined))) {
          const k = key(resource.stack, id);
          if (element && this.byKey.get(k)?.type === 'AWS::IAM::Role' && !(usersOf.get(k) ?? []).includes(element)) {
            pushTo(usersOf, k, element);
          }
        }
      }
    }
    for (const role of this.ofType('AWS::IAM::Role')) {
      const k = key(role.stack, role.logicalId);
      const users = usersOf.get(k) ?? [];
      this.roleUsers.set(k, users);
      for (const user of users) {
        pushTo(this.rolesByUser, user.id, k);
      }
      const statements: Statement[] = [];
      for (const inline of Array.isArray(role.props.Policies) ? role.props.Policies : []) {
        attach(role.stack, { Ref: role.logicalId }, `${role.logicalId}/${inline?.PolicyName ?? 'inline'}`, inline?.PolicyDocument);
      }
      for (const arn of Array.isArray(role.props.ManagedPolicyArns) ? role.props.ManagedPolicyArns : []) {
        const name = /:iam::aws:policy\/(.+)$/.exec(flattenArn(arn))?.[1];
        if (name) {
          statements.push({ role, policy: name, actions: [`(AWS managed policy ${name})`], wildcardResources: ['*'], awsManaged: true });
          continue;
        }
        // A customer managed policy of the app, attached by the role rather than by the policy's `Roles`.
        for (const id of localRefs(arn)) {
          const managed = this.byKey.get(key(role.stack, id));
          if (managed?.type === 'AWS::IAM::ManagedPolicy' && !attached.get(k)?.has(id)) {
            attach(role.stack, { Ref: role.logicalId }, id, managed.props.PolicyDocument);
          }
        }
      }
      for (const { name, document, stack } of policiesOf.get(k) ?? []) {
        for (const statement of [document?.Statement].flat().filter((x) => x && typeof x === 'object')) {
          if (statement.Effect !== 'Allow') {
            continue;
          }
          const actions: string[] = [statement.Action].flat().filter((a) => typeof a === 'string');
          const resources: unknown[] = [statement.Resource].flat().filter((r) => r !== undefined);
          const negated = statement.NotAction !== undefined ? `NotAction ${flattenArn(statement.NotAction)}`
            : statement.NotResource !== undefined ? `NotResource ${flattenArn(statement.NotResource)}` : undefined;
          statements.push({
            role,
            policy: name,
            actions: statement.NotAction !== undefined ? ['*'] : actions,
            // Built ARNs count too (`formatArn({ resourceName: '*' })` writes a Fn::Join ending in `/*`); keys under one named
            // resource (`<Bucket>/incoming/*`, `<Table>/index/*`) do not: how far they reach is the flows' business.
            wildcardResources: statement.NotResource !== undefined ? ['*'] : resources.map(flattenArn).filter((r) => r.includes('*') && !/^<[^>]+>/.test(r)),
            awsManaged: false,
            negated,
          });
          for (const user of users) {
            for (const resourceExpr of resources) {
              this.grantFlows(user, role, stack, actions, resourceExpr);
            }
          }
        }
      }
      this.statements.set(k, statements);
    }
  }

  private grantFlows(user: Element, role: Resource, stack: AssemblyStack, actions: string[], resourceExpr: unknown): void {
    const { elements, crossStack } = this.targets(stack, resourceExpr);
    for (const target of elements) {
      if (target.id === user.id || target.kind === ElementKind.GUARD) {
        continue;
      }
      const scope = scopeAfter(resourceExpr);
      const reads = actions.filter(actionReads);
      const writes = actions.filter(actionWrites);
      const record = (flow: Flow, granted: string[]) => {
        const existing = flow.grants.find((g) => g.role === role);
        if (existing) {
          existing.actions.push(...granted.filter((a) => !existing.actions.includes(a)));
          if (!existing.scopes.includes(scope)) {
            existing.scopes.push(scope);
          }
        } else {
          flow.grants.push({ role, actions: [...granted], scopes: [scope] });
        }
      };
      if (reads.length > 0) {
        record(this.flow(target, user, FlowVia.IAM, undefined, crossStack), reads);
      }
      if (writes.length > 0) {
        record(this.flow(user, target, FlowVia.IAM, undefined, crossStack), writes);
      }
    }
  }

  /** `OrdersDlq (queue)` for an expression naming a resource, else the expression. */
  public describe(stack: AssemblyStack, expr: unknown): string {
    const element = this.targets(stack, expr).elements[0];
    return element ? `${element.label} (${element.noun})` : flattenArn(expr);
  }
}

/** `*` or `{ AWS: '*' }` (or a list holding `*`): any principal. @internal */
export function isAnyone(principal: any): boolean {
  return principal === '*' || principal?.AWS === '*' || (Array.isArray(principal?.AWS) && principal.AWS.includes('*'));
}

/** The 12-digit accounts an `AWS` principal names, other than the stack's own (all of them for an env-agnostic stack). */
function foreignAccounts(principal: any, environment: string): string[] {
  const own = /^aws:\/\/(\d{12})\//.exec(environment)?.[1];
  return [principal?.AWS].flat().filter((p) => typeof p === 'string')
    .map((p: string) => /^(\d{12})$/.exec(p)?.[1] ?? /^arn:[^:]+:iam::(\d{12}):/.exec(p)?.[1])
    .filter((account): account is string => account !== undefined && account !== own);
}

function pushToSet<K, V>(map: Map<K, Set<V>>, k: K, value: V): void {
  const set = map.get(k) ?? new Set<V>();
  set.add(value);
  map.set(k, set);
}

function pushTo<K, V>(map: Map<K, V[]>, k: K, value: V): void {
  const list = map.get(k);
  if (list) {
    list.push(value);
  } else {
    map.set(k, [value]);
  }
}

function key(stack: AssemblyStack, logicalId: string): string {
  return constructKey(stack.path, logicalId);
}

/** The key of a resource: its stack's construct path and its logical id. @internal */
export function constructKey(stackPath: string, logicalId: string): string {
  return `${stackPath}::${logicalId}`;
}

/** `CreateOrder` for `OrdersService/CreateOrder/Resource`: the construct path inside its stack. @internal */
export function labelOf(resource: Resource): string {
  const prefix = `${resource.stack.path}/`;
  const inStack = resource.path.startsWith(prefix) ? resource.path.slice(prefix.length) : resource.path;
  return inStack.replace(/(\/Resource)+$/, '') || resource.logicalId;
}

/** `dynamodb:PutItem, UpdateItem` — one service prefix, then verbs. */
function shortActions(actions: string[]): string {
  const byService = new Map<string, string[]>();
  for (const action of actions) {
    const [service, verb] = action.includes(':') ? action.split(':') : ['', action];
    byService.set(service, [...(byService.get(service) ?? []), verb]);
  }
  // Sorted: the same grant reads the same whatever order aws-cdk-lib wrote it in (`minimizePolicies` sorts and merges).
  return [...byService].sort(([a], [b]) => a.localeCompare(b))
    .map(([service, verbs]) => { const sorted = [...new Set(verbs)].sort(); return service ? `${service}:${sorted.join(', ')}` : sorted.join(', '); }).join('; ');
}

/** Logical ids an expression references in its own template (`Ref`, `Fn::GetAtt`, `Fn::Sub`). @internal */
export function localRefs(expr: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) {
        found.add(o.Ref);
      } else if (o['Fn::GetAtt'] !== undefined) {
        const target = o['Fn::GetAtt'];
        const id = Array.isArray(target) ? target[0] : typeof target === 'string' ? target.split('.')[0] : undefined;
        if (typeof id === 'string') {
          found.add(id);
        }
      } else if (o['Fn::Sub'] !== undefined) {
        const sub = o['Fn::Sub'];
        const [text, variables] = Array.isArray(sub) ? sub : [sub, {}];
        for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) {
          if (!(variables && typeof variables === 'object' && match[1] in variables)) {
            found.add(match[1]);
          }
        }
        visit(variables);
      } else if (o['Fn::ImportValue'] === undefined && o['Fn::GetStackOutput'] === undefined) {
        Object.values(o).forEach(visit);
      }
    }
  };
  visit(expr);
  return [...found];
}

interface ForeignRef {
  readonly exportName?: string;
  readonly stackName?: string;
  readonly outputName?: string;
  /** A cross-region reference (`crossRegionReferences`): the SSM parameter CDK's export writer fills and its reader reads. */
  readonly crossRegionParameter?: string;
}

/** Where CDK keeps cross-region references (`crossRegionReferences: true`): SSM parameters under this path. */
const CROSS_REGION_PARAMETER_PREFIX = '/cdk/exports/';

/**
 * References to other stacks: `Fn::ImportValue` (strong), `Fn::GetStackOutput` (weak, the `cdk init` default)
 * and the attributes of CDK's cross-region export reader.
 */
function foreignRefs(expr: unknown): ForeignRef[] {
  const found: ForeignRef[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, any>;
      if (typeof o['Fn::ImportValue'] === 'string') {
        found.push({ exportName: o['Fn::ImportValue'] });
      } else if (o['Fn::GetStackOutput'] && typeof o['Fn::GetStackOutput'].OutputName === 'string') {
        found.push({ stackName: String(o['Fn::GetStackOutput'].StackName), outputName: o['Fn::GetStackOutput'].OutputName });
      } else if (Array.isArray(o['Fn::GetAtt']) && typeof o['Fn::GetAtt'][1] === 'string' && o['Fn::GetAtt'][1].startsWith(CROSS_REGION_PARAMETER_PREFIX)) {
        // CDK's ExportsReader returns each cross-region value as an attribute named after its parameter.
        found.push({ crossRegionParameter: o['Fn::GetAtt'][1] });
      } else {
        Object.values(o).forEach(visit);
      }
    }
  };
  visit(expr);
  return found;
}

/** A readable form of an ARN expression: references become `<logical id>`, pseudo parameters `${AWS::Region}`. */
export function flattenArn(expr: unknown): string {
  if (typeof expr === 'string') {
    return expr;
  }
  if (Array.isArray(expr)) {
    return expr.map(flattenArn).join(',');
  }
  if (expr && typeof expr === 'object') {
    const o = expr as Record<string, any>;
    if (typeof o.Ref === 'string') {
      return o.Ref.startsWith('AWS::') ? `\${${o.Ref}}` : `<${o.Ref}>`;
    }
    if (o['Fn::GetAtt'] !== undefined) {
      return `<${[o['Fn::GetAtt']].flat()[0]}>`;
    }
    if (Array.isArray(o['Fn::Join'])) {
      const [sep, parts] = o['Fn::Join'];
      return (Array.isArray(parts) ? parts : []).map(flattenArn).join(String(sep));
    }
    if (o['Fn::Sub'] !== undefined) {
      // `${Bucket.Arn}/*` reads as `<Bucket>/*`, like a Fn::Join of the same ARN; pseudo parameters stay as written.
      return String([o['Fn::Sub']].flat()[0]).replace(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g, (_all, id: string) => `<${id}>`);
    }
    if (o['Fn::ImportValue'] !== undefined) {
      return `<import ${flattenArn(o['Fn::ImportValue'])}>`;
    }
  }
  return JSON.stringify(expr);
}

/** What a resource expression adds after the referenced ARN: `/incoming/*.jpg` for `[bucket.Arn, '/incoming/*.jpg']`. */
function scopeAfter(expr: unknown): string {
  const flat = flattenArn(expr);
  const match = /^<[^>]+>(.*)$/.exec(flat);
  return match ? match[1] : '';
}

/** `incoming/*.jpg` from an EventBridge pattern's `object.key` filters. */
function keyFiltersOfPattern(keyFilter: unknown): string[] {
  return (Array.isArray(keyFilter) ? keyFilter : []).map((f: any) =>
    typeof f === 'string' ? f : f?.wildcard ?? (f?.prefix !== undefined ? `${f.prefix}*` : f?.suffix !== undefined ? `*${f.suffix}` : undefined),
  ).filter((f): f is string => typeof f === 'string');
}

/** `incoming/*.jpg` from an S3 notification's key filter rules. */
function keyFiltersOfNotification(filter: any): string[] {
  const listed = filter?.Key?.FilterRules ?? filter?.S3Key?.Rules;
  const rules: any[] = Array.isArray(listed) ? listed.filter((r) => r && typeof r === 'object') : [];
  const prefix = rules.find((r) => String(r.Name).toLowerCase() === 'prefix')?.Value;
  const suffix = rules.find((r) => String(r.Name).toLowerCase() === 'suffix')?.Value;
  return prefix === undefined && suffix === undefined ? [] : [`${prefix ?? ''}*${suffix ?? ''}`];
}

/** The origins a distribution's config lists. @internal */
export function distributionOriginsOf(distribution: Resource): any[] {
  return [distribution.props.DistributionConfig?.Origins ?? []].flat().filter((o: unknown) => typeof o === 'object' && o !== null);
}

/** The default and path behaviours a distribution's config lists. @internal */
export function distributionBehavioursOf(distribution: Resource): any[] {
  const config = distribution.props.DistributionConfig ?? {};
  return [config.DefaultCacheBehavior, ...[config.CacheBehaviors ?? []].flat()].filter((b: unknown) => typeof b === 'object' && b !== null);
}
