import { IConstruct } from 'constructs';

/**
 * The error cdk-aegis raises for invalid input, at construction time.
 *
 * Its message names the construct path, each offending prop in backticks, the
 * value received and what to do instead.
 */
export class AegisValidationError extends Error {
  /** The construct path the error is about. */
  public readonly constructPath: string;

  /** Each problem found, one sentence each. */
  public readonly problems: string[];

  constructor(constructPath: string, problems: string[]) {
    super(
      problems.length === 1
        ? `[cdk-aegis] ${constructPath}: ${problems[0]}`
        : `[cdk-aegis] ${constructPath}: ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'AegisValidationError';
    this.constructPath = constructPath;
    this.problems = problems;
    Object.setPrototypeOf(this, AegisValidationError.prototype);
  }
}

/**
 * Collects every problem of one construct's input so they are reported together.
 *
 * @internal
 */
export class ProblemCollector {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly id?: string) {}

  /** Records `message` when `condition` is false. */
  public require(condition: boolean, message: string): void {
    if (!condition) {
      this.problems.push(message);
    }
  }

  /** Records a problem unconditionally. */
  public add(message: string): void {
    this.problems.push(message);
  }

  /** Throws one `AegisValidationError` listing every problem recorded, if any. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      const path = this.id === undefined ? this.scope.node.path : [this.scope.node.path, this.id].filter((p) => p).join('/');
      throw new AegisValidationError(path, [...this.problems]);
    }
  }
}

/** Formats a received value for an error message. @internal */
export function received(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
