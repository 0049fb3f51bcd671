import { AssemblyReading } from '../../core/private/cloud-assembly';
import { knownContents } from '../../core/private/sbom-file';

/** What the ledger knows of a function's code. @internal */
export interface FunctionContents {
  readonly constructPath: string;
  /** `sbom/<stack>.<path>.cdx.json`, `inline code`, or `contents unknown`. */
  readonly contents: string;
}

/** Said of a function whose bundle has no SBOM. @internal */
export const CONTENTS_UNKNOWN = 'contents unknown';

/**
 * Every Lambda function of the assembly in `dir` (stacks inside Stages
 * included) with what is known of its code: its SBOM (written at synth for a
 * bundled `entry`, or from a prebuilt asset's package-lock.json), inline
 * code, or nothing.
 *
 * @internal
 */
export function functionContents(dir: string, reading: AssemblyReading = new AssemblyReading(dir)): FunctionContents[] {
  const stacks = reading.stacksWithNested;
  const paths = reading.constructPaths;
  const found: FunctionContents[] = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries<any>(stack.template.Resources ?? {})) {
      if (resource?.Type !== 'AWS::Lambda::Function') {
        continue;
      }
      const full: string = resource.Metadata?.['aws:cdk:path'] ?? paths.get(`${stack.path}::${logicalId}`) ?? `${stack.path}/${logicalId}`;
      const inStack = (full.startsWith(`${stack.path}/`) ? full.slice(stack.path.length + 1) : full).replace(/(\/Resource)+$/, '');
      const known = knownContents(dir, stack.path, inStack, resource.Properties);
      const contents = known.kind === 'inline' ? 'inline code' : known.kind === 'sbom' ? known.file : CONTENTS_UNKNOWN;
      found.push({ constructPath: full.replace(/(\/Resource)+$/, ''), contents });
    }
  }
  return found.sort((a, b) => a.constructPath.localeCompare(b.constructPath));
}

/** The ledger's Markdown section on function contents. @internal */
export function functionContentsMarkdown(entries: FunctionContents[]): string {
  const unknown = entries.filter((e) => e.contents === CONTENTS_UNKNOWN).length;
  return [
    '## Function contents',
    '',
    `${entries.length} function(s), ${unknown} with contents unknown: bundle them from their \`entry\` (an SBOM is written at synth), ` +
      'or ship a package-lock.json in the prebuilt asset.',
    '',
    ...(entries.length > 0 ? ['| Function | Contents |', '|---|---|', ...entries.map((e) => `| \`${e.constructPath}\` | ${e.contents} |`), ''] : []),
  ].join('\n');
}
