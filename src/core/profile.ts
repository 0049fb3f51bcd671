import { IConstruct } from 'constructs';
import { AegisValidationError } from './errors';

/**
 * How strict cdk-aegis is for an app.
 */
export enum SecurityProfile {
  /**
   * Secure defaults checked against the AwsSolutions and Serverless rule packs.
   */
  BASELINE = 'BASELINE',

  /**
   * BASELINE plus what HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 require:
   * functions in a VPC with reserved concurrency, longer log retention, backups.
   * The props those controls need become mandatory.
   */
  REGULATED = 'REGULATED',
}

/**
 * Context key that selects the profile without code, e.g. in `cdk.json`:
 * `{ "context": { "@cdk-aegis/profile": "REGULATED" } }`.
 */
export const PROFILE_CONTEXT_KEY = '@cdk-aegis/profile';

interface ProfileState {
  profile?: SecurityProfile;
  /** Path of the first construct that read the profile (to catch late `enforce` calls). */
  firstReader?: string;
}

const STATE = new WeakMap<IConstruct, ProfileState>();

function stateOf(scope: IConstruct): ProfileState {
  const root = scope.node.root;
  let state = STATE.get(root);
  if (!state) {
    state = {};
    STATE.set(root, state);
  }
  return state;
}

function profileFromContext(scope: IConstruct): SecurityProfile | undefined {
  const value = scope.node.tryGetContext(PROFILE_CONTEXT_KEY);
  if (value === undefined) {
    return undefined;
  }
  const allowed = Object.values(SecurityProfile) as string[];
  if (typeof value !== 'string' || !allowed.includes(value.toUpperCase())) {
    throw new AegisValidationError(scope.node.root.node.path || 'App', [
      `context \`${PROFILE_CONTEXT_KEY}\` must be one of ${allowed.join(', ')}, got: ${JSON.stringify(value)}.`,
    ]);
  }
  return value.toUpperCase() as SecurityProfile;
}

/**
 * The profile in force for `scope`'s app: the one given to
 * `Compliance.of(app).enforce()`, else the `@cdk-aegis/profile` context value,
 * else BASELINE. Records the read, so a later change of profile is caught.
 *
 * Use use `Compliance.of(scope).profile` instead.
 *
 * @internal
 */
export function readProfile(scope: IConstruct): SecurityProfile {
  const state = stateOf(scope);
  state.firstReader ??= scope.node.path;
  return peekProfile(scope);
}

/**
 * Sets the profile of `scope`'s app. Fails when constructs already read a
 * different one: their defaults and checks would not match the packs.
 *
 * Use use `Compliance.of(app).enforce()` instead.
 *
 * @internal
 */
export function writeProfile(scope: IConstruct, profile: SecurityProfile): void {
  const state = stateOf(scope);
  const current = peekProfile(scope);
  if (state.firstReader !== undefined && current !== profile) {
    throw new AegisValidationError(scope.node.root.node.path || 'App', [
      `\`Compliance.of(app).enforce({ profile: ${profile} })\` was called after a cdk-aegis construct was built under ${current} in \`${state.firstReader}\`. ` +
        'Call `enforce()` right after creating the App, before any cdk-aegis construct.',
    ]);
  }
  state.profile = profile;
}

/**
 * The profile in force, without recording a read.
 *
 * @internal
 */
export function peekProfile(scope: IConstruct): SecurityProfile {
  return stateOf(scope).profile ?? profileFromContext(scope) ?? SecurityProfile.BASELINE;
}
