/**
 * What `SecureDefaults` did to one construct, recorded as metadata on the
 * construct's parent (the injector runs before the construct exists) and read
 * back from the cloud assembly by the hardening report.
 */

/** Metadata type of a hardening record. @internal */
export const HARDENING_METADATA = 'cdk-aegis:hardening';

/** A hardening record as it is stored in the assembly. @internal */
export interface HardeningRecordJson {
  /** The construct id, under the construct the metadata is on. */
  readonly id: string;
  /** e.g. `dynamodb.Table`. */
  readonly construct: string;
  /** Defaults filled: control → what was added. */
  readonly added: Array<{ control: string; what: string }>;
  /** Explicit values left as the app wrote them, with the fix. */
  readonly kept: Array<{ prop: string; value: string; fix: string }>;
  /** Controls skipped by the app, with the reason (`*`: the whole construct). */
  readonly skipped: Array<{ control: string; reason: string }>;
  /** What needs the owner's decision. */
  readonly decide: Array<{ what: string; how: string }>;
}

/** Collects one construct's hardening. @internal */
export class HardeningRecord {
  private readonly added: HardeningRecordJson['added'] = [];
  private readonly kept: HardeningRecordJson['kept'] = [];
  private readonly skipped: HardeningRecordJson['skipped'] = [];
  private readonly decisions: HardeningRecordJson['decide'] = [];

  constructor(private readonly id: string, private readonly construct: string) {}

  public add(control: string, what: string): void {
    this.added.push({ control, what });
  }

  public keep(prop: string, value: unknown, fix: string): void {
    this.kept.push({ prop, value: typeof value === 'string' ? value : JSON.stringify(value), fix });
  }

  public skip(control: string, reason: string): void {
    this.skipped.push({ control, reason });
  }

  public decide(what: string, how: string): void {
    this.decisions.push({ what, how });
  }

  public isSkipped(control: string): boolean {
    return this.skipped.some((s) => s.control === control || s.control === '*');
  }

  public toJson(): HardeningRecordJson {
    return { id: this.id, construct: this.construct, added: this.added, kept: this.kept, skipped: this.skipped, decide: this.decisions };
  }
}
