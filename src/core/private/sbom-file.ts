/**
 * Where a function's SBOM lives in the cloud assembly, written by the
 * bundling and read by the threat model:
 * `sbom/<stack path>.<construct path in the stack>.cdx.json`, `/` written as `.`.
 *
 * @internal
 */
export function sbomFileName(stackPath: string, pathInStack: string): string {
  return `sbom/${stackPath.split('/').join('.')}.${pathInStack.split('/').join('.')}.cdx.json`;
}
