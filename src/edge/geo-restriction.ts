import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { ProblemCollector, received } from '../core/errors';
import { checkJustification, Justification } from '../core/justification';

/**
 * Countries and territories under comprehensive US and EU embargo, where AWS
 * offers no service either: Cuba, Iran, North Korea, Syria.
 */
const EMBARGOED_COUNTRIES = Object.freeze(['CU', 'IR', 'KP', 'SY']) as string[];
const COUNTRY_CODE = /^[A-Z]{2}$/;

/**
 * Which countries a {@link SecureDistribution} serves, by the viewer's
 * address (CloudFront answers other countries with HTTP 403).
 *
 * @example
 * new SecureDistribution(this, 'Cdn', {
 *   defaultOrigin: EdgeOrigin.bucket(site),
 *   geoRestriction: EdgeGeoRestriction.allow(['DE', 'FR', 'NL']),
 * });
 */
export class EdgeGeoRestriction {
  /** The countries `denyEmbargoed()` blocks: Cuba, Iran, North Korea, Syria. */
  public static readonly EMBARGOED_COUNTRIES: string[] = EMBARGOED_COUNTRIES;

  /**
   * Serve only these countries (ISO 3166-1 alpha-2 codes in capitals, e.g. `'DE'`).
   */
  public static allow(countries: string[]): EdgeGeoRestriction {
    return new EdgeGeoRestriction('allow', countries);
  }

  /**
   * Serve every country except these (ISO 3166-1 alpha-2 codes in capitals, e.g. `'KP'`).
   */
  public static deny(countries: string[]): EdgeGeoRestriction {
    return new EdgeGeoRestriction('deny', countries);
  }

  /** The default: every country except those under comprehensive embargo ({@link EdgeGeoRestriction.EMBARGOED_COUNTRIES}). */
  public static denyEmbargoed(): EdgeGeoRestriction {
    return new EdgeGeoRestriction('deny', EMBARGOED_COUNTRIES);
  }

  /** Serve every country; the reason is recorded on the distribution (AwsSolutions-CFR1 acknowledged). */
  public static none(justification: Justification): EdgeGeoRestriction {
    return new EdgeGeoRestriction('none', [], justification);
  }

  private constructor(
    /** `allow`, `deny` or `none`. */
    private readonly kind: string,
    /** The countries allowed or denied. */
    public readonly countries: string[],
    /** Why every country is served, for `none()`. */
    public readonly justification?: Justification,
  ) {}

  /** @internal */
  public _check(problems: ProblemCollector, prop: string): void {
    if (this.kind === 'none') {
      checkJustification(problems, prop, this.justification);
      return;
    }
    const countries: unknown = this.countries;
    if (!Array.isArray(countries) || countries.length === 0) {
      problems.require(false, `\`${prop}\` needs at least one country, got: ${Array.isArray(countries) ? '[]' : received(countries)}; use \`EdgeGeoRestriction.none({ reason })\` to serve every country.`);
      return;
    }
    for (const country of countries) {
      problems.require(
        typeof country === 'string' && COUNTRY_CODE.test(country),
        `\`${prop}\` entries must be ISO 3166-1 alpha-2 codes in capitals (e.g. 'DE'), got: ${received(country)}.`,
      );
    }
  }

  /** @internal */
  public _render(): cloudfront.GeoRestriction | undefined {
    if (this.kind === 'allow') {
      return cloudfront.GeoRestriction.allowlist(...this.countries);
    }
    return this.kind === 'deny' ? cloudfront.GeoRestriction.denylist(...this.countries) : undefined;
  }
}
