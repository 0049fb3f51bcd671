import { AssemblyStack } from '../../core/private/cloud-assembly';
import { HARDENING_METADATA, HardeningRecordJson } from '../../core/private/hardening-record';

/** File names written into the cloud assembly when `SecureDefaults` hardened anything. */
export const HARDENING_JSON_FILE = 'hardening-report.json';
export const HARDENING_MD_FILE = 'hardening-report.md';

/** One hardened construct, located by its construct path. @internal */
export interface HardenedEntry extends HardeningRecordJson {
  readonly constructPath: string;
}

/**
 * What `SecureDefaults` did, construct by construct, from the stacks'
 * metadata (each record sits on the parent of the construct it describes).
 *
 * @internal
 */
export function hardeningEntries(stacks: AssemblyStack[]): HardenedEntry[] {
  const found: HardenedEntry[] = [];
  for (const stack of stacks) {
    for (const [parent, entries] of Object.entries<any>(stack.metadata)) {
      for (const entry of Array.isArray(entries) ? entries : []) {
        const data = entry?.type === HARDENING_METADATA ? entry.data : undefined;
        if (data && typeof data.id === 'string') {
          found.push({ ...data, constructPath: `${parent.replace(/^\//, '')}/${data.id}` });
        }
      }
    }
  }
  return found.sort((a, b) => a.constructPath.localeCompare(b.constructPath));
}

/** The hardening report as Markdown. @internal */
export function hardeningMarkdown(entries: HardenedEntry[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = (pick: (e: HardenedEntry) => Array<[string, string]>) => entries.flatMap((e) => pick(e).map(([a, b]) => `| \`${cell(e.constructPath)}\` | ${cell(a)} | ${cell(b)} |`));
  const added = rows((e) => e.added.map((a) => [`\`${a.control}\``, a.what]));
  const kept = rows((e) => e.kept.map((k) => [`\`${k.prop}: ${k.value}\``, k.fix]));
  const decide = rows((e) => e.decide.map((d) => [d.what, d.how]));
  const skipped = rows((e) => e.skipped.map((s) => [s.control === '*' ? 'everything' : `\`${s.control}\``, s.reason]));
  const table = (title: string, head: string, lines: string[], none: string) =>
    [`## ${title}`, '', ...(lines.length > 0 ? [`| Construct | ${head} |`, '|---|---|---|', ...lines] : [none]), ''];
  return [
    '# Hardening report',
    '',
    `SecureDefaults hardened ${entries.length} construct(s): ${added.length} default(s) added, ${kept.length} explicit value(s) kept, ` +
      `${decide.length} decision(s) to make, ${skipped.length} skip(s).`,
    '',
    ...table('Added', 'Control | What', added, 'Nothing.'),
    ...table('Kept because the app set them (the fix)', 'Value | Fix', kept, 'Nothing.'),
    ...table('Needs your decision', 'What | How', decide, 'Nothing.'),
    ...table('Skipped, with your reason', 'Control | Reason', skipped, 'Nothing.'),
  ].join('\n');
}
