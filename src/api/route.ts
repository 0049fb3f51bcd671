import { Token } from 'aws-cdk-lib';
import { ProblemCollector, received } from '../core/errors';
import { shown } from '../core/private/input-checks';

/** The HTTP method of a route. */
export enum HttpMethod {
  /** GET */
  GET = 'GET',
  /** POST */
  POST = 'POST',
  /** PUT */
  PUT = 'PUT',
  /** PATCH */
  PATCH = 'PATCH',
  /** DELETE */
  DELETE = 'DELETE',
  /** HEAD */
  HEAD = 'HEAD',
  /** OPTIONS (refused while CORS is on: the preflight answers it) */
  OPTIONS = 'OPTIONS',
  /** Every method */
  ANY = 'ANY',
}

/** HTTP methods a route may use (`ANY` matches every method). @internal */
export const ROUTE_METHODS: string[] = Object.values(HttpMethod);

const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const PARAM_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const GREEDY_SEGMENT = /^\{([A-Za-z_][A-Za-z0-9_]*)\+\}$/;
const REQUEST_PARAMETER = /^method\.request\.(querystring|multivaluequerystring|header|multivalueheader|path)\.([^\s.]+)$/;

/** A route's path, checked and taken apart. @internal */
export interface ParsedRoute {
  /** `GET`, ..., or `*` for `ANY` (as stage method settings and ARNs name it). */
  readonly arnMethod: string;
  /** The path parameters, in order. */
  readonly pathParameters: string[];
  /** The path with every `{param}` as `*`, for execute-api ARNs. */
  readonly arnPath: string;
  /** The path as stage method settings encode it (`/~1orders~1{id}`). */
  readonly settingsPath: string;
}

/**
 * Checks `method` and `path` and returns the route's parts. Problems name the
 * route so several bad routes read clearly.
 *
 * @internal
 */
export function parseRoute(problems: ProblemCollector, method: string, path: string): ParsedRoute {
  problems.require(
    ROUTE_METHODS.includes(method),
    `route method must be one of ${ROUTE_METHODS.join(', ')}, got: ${received(method)}.`,
  );
  const pathParameters: string[] = [];
  if (typeof path !== 'string' || path.trim() === '') {
    problems.add(`route \`path\` must be a non-empty string starting with \`/\`, e.g. \`/orders/{id}\`, got: ${shown(path)}.`);
  } else if (!path.startsWith('/')) {
    problems.add(`route path must start with \`/\`, got: ${received(path)}. Write e.g. \`/orders/{id}\`.`);
  } else if (path !== '/') {
    const segments = path.slice(1).split('/');
    segments.forEach((segment, i) => {
      const param = PARAM_SEGMENT.exec(segment) ?? (i === segments.length - 1 ? GREEDY_SEGMENT.exec(segment) : null);
      if (param) {
        problems.require(!pathParameters.includes(param[1]), `route path ${received(path)} repeats the parameter \`{${param[1]}}\`.`);
        pathParameters.push(param[1]);
      } else {
        problems.require(
          LITERAL_SEGMENT.test(segment),
          `route path ${received(path)} has an invalid segment ${received(segment)}: use letters, digits, \`.\`, \`_\`, \`-\`, \`~\`, ` +
            'a parameter `{name}`, or a final greedy `{name+}` (no empty segments or trailing `/`).',
        );
      }
    });
  }
  const arnMethod = method === 'ANY' ? '*' : method;
  const arnPath = typeof path === 'string' ? path.replace(/\{[^}]*\}/g, '*') : '/';
  const settingsPath = path === '/' ? '/' : `/${String(path).replace(/\//g, '~1')}`;
  return { arnMethod, pathParameters, arnPath, settingsPath };
}

/**
 * Checks `requestParameters` of a route and returns them with every path
 * parameter marked required.
 *
 * @internal
 */
export function routeRequestParameters(
  problems: ProblemCollector,
  route: ParsedRoute,
  requestParameters: { [name: string]: boolean } | undefined,
): { [name: string]: boolean } | undefined {
  const out: { [name: string]: boolean } = {};
  for (const name of route.pathParameters) {
    out[`method.request.path.${name}`] = true;
  }
  for (const [name, required] of Object.entries(requestParameters ?? {})) {
    if (Token.isUnresolved(name)) {
      continue;
    }
    const match = REQUEST_PARAMETER.exec(name);
    if (!match) {
      problems.add(
        `\`requestParameters\` key ${received(name)} is not a request parameter; write \`method.request.querystring.<name>\`, ` +
          '`method.request.header.<Name>` or `method.request.path.<name>`.',
      );
      continue;
    }
    if (match[1] === 'path') {
      problems.require(
        route.pathParameters.includes(match[2]),
        `\`requestParameters\` names the path parameter \`${match[2]}\`, which the route path does not have.`,
      );
      problems.require(required === true, `\`requestParameters\` path parameter \`${match[2]}\` is always required; set it to true.`);
    }
    out[name] = required;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Checks that `path` names its parameters as the API's other routes do:
 * API Gateway allows one parameter per path level (`/orders/{id}` and
 * `/orders/{orderId}` cannot both exist). `levels` maps each level's
 * parameter-free prefix to the parameter segment seen there; the caller
 * records `path` in it once every check passed.
 *
 * @internal
 */
export function checkParameterLevels(problems: ProblemCollector, path: string, levels: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  if (typeof path !== 'string' || !path.startsWith('/') || path === '/') {
    return found;
  }
  let prefix = '';
  for (const segment of path.slice(1).split('/')) {
    if (segment.startsWith('{')) {
      const existing = levels.get(prefix);
      problems.require(
        existing === undefined || existing === segment,
        `route path ${received(path)} has \`${segment}\` where another route has \`${existing}\`; API Gateway allows one parameter per path level, so use the same name.`,
      );
      found.set(prefix, segment);
    }
    prefix += `/${segment.startsWith('{') ? '{}' : segment}`;
  }
  return found;
}
