import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ROUTE_METHODS } from './route';
import { ProblemCollector, received } from '../core/errors';

/** How long browsers may cache a preflight answer unless told otherwise. */
export const DEFAULT_CORS_MAX_AGE = Duration.minutes(10);

const CORS_METHODS = ROUTE_METHODS.filter((m) => m !== 'ANY');
const HTTPS_ORIGIN = /^https:\/\/[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;
const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/;

/**
 * Cross-origin access for browsers. Only the listed origins are allowed;
 * `*` is never accepted.
 */
export interface SecureApiCorsOptions {
  /**
   * Origins that may call the API from a browser, exactly as browsers send
   * them: `https://app.example.com` (scheme, host, optional port; no path).
   * `http://` is accepted for `localhost` and `127.0.0.1` only.
   */
  readonly allowOrigins: string[];

  /**
   * Methods browsers may use.
   *
   * @default - every method (`apigateway.Cors.ALL_METHODS`)
   */
  readonly allowMethods?: string[];

  /**
   * Request headers browsers may send.
   *
   * @default - `apigateway.Cors.DEFAULT_HEADERS` (Content-Type, X-Amz-Date, Authorization, X-Api-Key, X-Amz-Security-Token, X-Amz-User-Agent)
   */
  readonly allowHeaders?: string[];

  /**
   * Whether browsers may send cookies and credentials.
   *
   * @default false
   */
  readonly allowCredentials?: boolean;

  /**
   * How long browsers may cache the preflight answer.
   *
   * @default Duration.minutes(10)
   */
  readonly maxAge?: Duration;
}

/** Checks CORS options, naming `cors.*` props. @internal */
export function checkCors(problems: ProblemCollector, cors: SecureApiCorsOptions | undefined): void {
  if (cors === undefined) {
    return;
  }
  const origins = cors.allowOrigins ?? [];
  problems.require(origins.length > 0, '`cors.allowOrigins` must list at least one origin; leave `cors` out to keep cross-origin access off.');
  for (const origin of origins) {
    if (Token.isUnresolved(origin)) {
      continue;
    }
    if (origin === '*') {
      problems.add(
        cors.allowCredentials
          ? '`cors.allowOrigins` `*` with `cors.allowCredentials: true` would let any site act with a user\'s credentials (browsers refuse it too); ' +
              'list the exact origins, e.g. `https://app.example.com`.'
          : '`cors.allowOrigins` must list exact origins, got: "*". List them, e.g. `https://app.example.com`.',
      );
    } else {
      problems.require(
        HTTPS_ORIGIN.test(origin) || LOCAL_ORIGIN.test(origin),
        '`cors.allowOrigins` entries must be origins like `https://app.example.com` (https, host, optional port, no path; ' +
          `http only for localhost), got: ${received(origin)}.`,
      );
    }
  }
  for (const method of cors.allowMethods ?? []) {
    problems.require(
      CORS_METHODS.includes(method),
      `\`cors.allowMethods\` entries must be one of ${CORS_METHODS.join(', ')} (leave \`allowMethods\` out to allow them all), got: ${received(method)}.`,
    );
  }
}

/** The preflight options API Gateway gets. @internal */
export function preflightOptions(cors: SecureApiCorsOptions): apigateway.CorsOptions {
  return {
    allowOrigins: cors.allowOrigins,
    allowMethods: cors.allowMethods,
    allowHeaders: cors.allowHeaders,
    allowCredentials: cors.allowCredentials ?? false,
    maxAge: cors.maxAge ?? DEFAULT_CORS_MAX_AGE,
  };
}
