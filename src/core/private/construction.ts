import { PropertyInjectors } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { ProblemCollector, received } from '../errors';

/**
 * A stand-in for a child that an L2 base class needs in its constructor (the
 * `role` of a `lambda.Function`) but that can only be created once the
 * construct exists, i.e. after `super()`. The stand-in is a plain value, so
 * property injectors may copy it freely, and the L2 may read it in any order.
 *
 * Before `bind`, only the members given as `early` can be used (e.g. the ARN
 * as a token that resolves to the real child's ARN); `callableLater` methods
 * fail with an error that names them. After `bind`, every use is forwarded to the
 * real child, so references the base class kept (a dependency, a principal)
 * reach it.
 *
 * @internal
 */
export class LateBound<T extends object> {
  /** The stand-in to pass to the base class. */
  public readonly ref: T;
  private target?: T;

  /**
   * @param what the child's construct path, for errors
   * @param early members usable before `bind`
   * @param callableLater methods that must exist before `bind` (a base class checks the type) but work only after it
   */
  constructor(private readonly what: string, early: Partial<T>, callableLater: ReadonlyArray<keyof T> = []) {
    const self = this;
    // Copied with its accessors (a getter may name the stand-in itself).
    const stand: Partial<T> = Object.defineProperties({}, Object.getOwnPropertyDescriptors(early));
    for (const member of callableLater) {
      (stand as Record<keyof T, unknown>)[member] = (...args: unknown[]) => {
        if (!self.target) {
          throw self.usedEarly(member);
        }
        return (self.target[member] as unknown as (...a: unknown[]) => unknown).apply(self.target, args);
      };
    }
    this.ref = new Proxy(stand as T, {
      get(standIn, member) {
        const bound = self.target;
        if (bound) {
          const value = Reflect.get(bound, member, bound);
          return typeof value === 'function' ? value.bind(bound) : value;
        }
        // Anything else reads as absent, as on a plain object (CDK probes values, e.g. for `resolve`).
        return Reflect.get(standIn, member);
      },
      has(standIn, member) {
        return self.target ? Reflect.has(self.target, member) : Reflect.has(standIn, member);
      },
    });
  }

  private usedEarly(member: PropertyKey): Error {
    return new Error(
      `cdk-aegis: ${this.what} was used (\`${String(member)}\`) before it exists. ` +
        'A property injector probably set a prop that needs it during construction; remove that prop from the injector.',
    );
  }

  /** Makes `value` the real child; returns it. */
  public bind(value: T): T {
    this.target = value;
    return value;
  }
}

/** A prop a secure construct passes to its L2 base class that an injector must not change. @internal */
export interface SecuredProp {
  /** What to do instead, e.g. the typed opt-out: ``use `tracing: Toggle.off({ reason })` ``. */
  readonly instead: string;
  /**
   * Whether the injected value is weaker than ours.
   *
   * @default - any change is weaker
   */
  readonly weakens?: (ours: unknown, injected: unknown) => boolean;
}

/** The L2 base class a secure construct passes its props to. @internal */
export interface InjectableBase {
  /** How users write it, e.g. `lambda.Function`. */
  readonly name: string;
  /** Its `PROPERTY_INJECTION_ID`. */
  readonly injectionId: string;
}

/**
 * Fails when a property injector registered for `base` (aws-cdk-lib's
 * `PropertyInjectors`, e.g. a platform team's Blueprint) would change a
 * secured prop of `props` on its way to the base class: secure constructs are
 * never silently weaker. Props that are not secured (memory, architecture,
 * tags...) stay the injector's to set.
 *
 * The injector is looked up the way aws-cdk-lib does (nearest scope that has
 * one for `base`) and run on a copy of `props`; injectors are pure functions of
 * their input, so aws-cdk-lib's own call gives the same result.
 *
 * @internal
 */
function checkPropertyInjection(
  scope: Construct,
  id: string,
  construct: string,
  base: InjectableBase,
  props: { [key: string]: unknown },
  secured: { [prop: string]: SecuredProp },
): void {
  const injector = findInjector(scope, base.injectionId);
  if (!injector) {
    return;
  }
  const injected: { [key: string]: unknown } = injector.inject({ ...props }, { scope, id }) ?? {};
  const problems = new ProblemCollector(scope, id);
  for (const [prop, rule] of Object.entries(secured)) {
    const ours = props[prop];
    const theirs = injected[prop];
    const weaker = rule.weakens ? rule.weakens(ours, theirs) : theirs !== ours;
    problems.require(
      !weaker,
      `a property injector for ${base.name} changed \`${prop}\` from ${describe(ours)} to ${describe(theirs)}, ` +
        `which would weaken this ${construct}: ${rule.instead}. Or register the injector where it does not reach cdk-aegis constructs.`,
    );
  }
  problems.throwIfAny();
}

/**
 * `props` for the L2 base class, after {@link checkPropertyInjection}: write
 * `super(scope, id, guardedProps(scope, id, 'SecureX', BASE, { ... }, SECURED))`.
 *
 * @internal
 */
export function guardedProps<P extends object>(
  scope: Construct,
  id: string,
  construct: string,
  base: InjectableBase,
  props: P,
  secured: { [prop: string]: SecuredProp },
): P {
  markLibraryBuilt(props);
  checkPropertyInjection(scope, id, construct, base, props as { [key: string]: unknown }, secured);
  return props;
}

/**
 * Marks props cdk-aegis built for an L2, so that `SecureDefaults` (a property
 * injector for plain aws-cdk-lib constructs) leaves them alone: they are
 * secure already, and hardening them again would add children twice (a
 * dead-letter queue to a dead-letter queue). An enumerable symbol key: it
 * survives the spreads injectors make, and L2s ignore it.
 *
 * @internal
 */
export const LIBRARY_BUILT = Symbol.for('cdk-aegis.library-built-props');

function markLibraryBuilt(props: object): void {
  (props as { [LIBRARY_BUILT]?: boolean })[LIBRARY_BUILT] = true;
}

/** Whether cdk-aegis built these props (see {@link LIBRARY_BUILT}). @internal */
export function isLibraryBuilt(props: unknown): boolean {
  return typeof props === 'object' && props !== null && (props as { [LIBRARY_BUILT]?: boolean })[LIBRARY_BUILT] === true;
}

function findInjector(scope: IConstruct, injectionId: string) {
  for (let c: IConstruct | undefined = scope; c !== undefined; c = c.node.scope) {
    if (PropertyInjectors.hasPropertyInjectors(c)) {
      const injector = PropertyInjectors.of(c).for(injectionId);
      if (injector) {
        return injector;
      }
    }
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined || value === null || typeof value !== 'object') {
    return received(value);
  }
  const path = (value as Partial<IConstruct>).node?.path;
  return path !== undefined ? `the construct at ${path}` : `a ${value.constructor?.name ?? 'value'}`;
}
