import * as fs from 'fs';
import * as path from 'path';

/**
 * Where a function's SBOM lives in the cloud assembly, written by the
 * bundling and read by the threat model and the ledger:
 * `sbom/<stack path>.<construct path in the stack>.cdx.json`, `/` written as `.`.
 *
 * @internal
 */
export function sbomFileName(stackPath: string, pathInStack: string): string {
  return `sbom/${stackPath.split('/').join('.')}.${pathInStack.split('/').join('.')}.cdx.json`;
}

/** What is known of a function's code (see {@link knownContents}). @internal */
export interface KnownContents {
  /** `inline`: code in the template, no packages; `sbom`: the SBOM at `file`; `unknown`: neither. */
  readonly kind: 'inline' | 'sbom' | 'unknown';
  /** Where its SBOM is, or would be. */
  readonly file: string;
}

/**
 * What is known of the code of the `AWS::Lambda::Function` whose
 * `properties` are given: inline code, an SBOM in the assembly, or nothing.
 *
 * @internal
 */
export function knownContents(assemblyDir: string, stackPath: string, pathInStack: string, properties: any): KnownContents {
  const file = sbomFileName(stackPath, pathInStack);
  const kind = properties?.Code?.ZipFile !== undefined ? 'inline' : fs.existsSync(path.join(assemblyDir, file)) ? 'sbom' : 'unknown';
  return { kind, file };
}
