import * as fs from 'fs';
import * as path from 'path';
import { readAssembly, RulelessOptOut } from './assembly';
import { functionContents, functionContentsMarkdown } from './function-contents';
import { HARDENING_JSON_FILE, HARDENING_MD_FILE, hardeningEntries, hardeningMarkdown } from './hardening';
import { ledgerMarkdown, toLedger } from './ledger';
import { toSarif } from './sarif';
import { AssemblyReading } from '../../core/private/cloud-assembly';

/** File names written into the cloud assembly. */
export const SARIF_FILE = 'compliance.sarif';
export const LEDGER_JSON_FILE = 'compliance-ledger.json';
export const LEDGER_MD_FILE = 'compliance-ledger.md';

/** What a synth checked and found. @internal */
export interface ComplianceSummary {
  readonly packs: string[];
  readonly resourcesChecked: number;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledgements: number;
}

/**
 * Writes `compliance.sarif`, `compliance-ledger.json` and
 * `compliance-ledger.md` into the cloud assembly `dir`, from its validation
 * report, and returns the summary. `appOptOuts` are controls of the whole
 * app turned off through `enforce()` (no stack records them).
 *
 * @internal
 */
export function writeComplianceReports(
  dir: string,
  packs: string[] = [],
  appOptOuts: RulelessOptOut[] = [],
  reading: AssemblyReading = new AssemblyReading(dir),
): ComplianceSummary {
  const assembly = readAssembly(dir, reading);
  const facts = { ...assembly, optOuts: [...appOptOuts, ...assembly.optOuts] };
  const allPacks = [...new Set([...packs, ...facts.plugins])];
  const relative = path.relative(process.cwd(), path.resolve(dir)).split(path.sep).join('/');
  const sarif = toSarif({ ...facts, plugins: allPacks }, packageVersion(), relative.startsWith('..') ? '' : relative);
  const ledger = toLedger(facts);
  fs.writeFileSync(path.join(dir, SARIF_FILE), JSON.stringify(sarif, undefined, 2));
  const contents = functionContents(dir, reading);
  const ledgerJson = { acknowledgements: ledger, optOutsWithoutRule: facts.optOuts, openWarnings: facts.openWarnings, functionContents: contents };
  const hardening = hardeningEntries(reading.stacksWithNested);
  if (hardening.length > 0) {
    fs.writeFileSync(path.join(dir, HARDENING_JSON_FILE), JSON.stringify({ constructs: hardening }, undefined, 2));
    fs.writeFileSync(path.join(dir, HARDENING_MD_FILE), hardeningMarkdown(hardening));
  }
  fs.writeFileSync(path.join(dir, LEDGER_JSON_FILE), JSON.stringify({ ...ledgerJson, ...(hardening.length > 0 ? { hardening } : {}) }, undefined, 2));
  fs.writeFileSync(path.join(dir, LEDGER_MD_FILE), ledgerMarkdown(ledger, facts.optOuts, facts.openWarnings) +
    `\n${functionContentsMarkdown(contents)}` + (hardening.length > 0 ? `\n## Hardened by SecureDefaults\n\n${hardening.length} construct(s): see ${HARDENING_MD_FILE}.\n` : ''));
  const count = (severity: string) => facts.findings.filter((f) => f.severity === severity).reduce((n, f) => n + f.constructPaths.length, 0);
  return {
    packs: allPacks,
    resourcesChecked: facts.resourceCount,
    errors: count('error'),
    warnings: count('warning'),
    acknowledgements: ledger.length,
  };
}

/** The one-line summary printed after a synth. @internal */
export function summaryLine(summary: ComplianceSummary): string {
  return `[cdk-aegis] packs: ${summary.packs.join(', ')} · resources checked: ${summary.resourcesChecked} · errors: ${summary.errors} · ` +
    `warnings: ${summary.warnings} · acknowledgements: ${summary.acknowledgements}`;
}

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
