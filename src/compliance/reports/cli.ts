import * as fs from 'fs';
import { LEDGER_JSON_FILE, LEDGER_MD_FILE, SARIF_FILE, summaryLine, writeComplianceReports } from './write';
import { ThreatModel } from '../../threat-model/threat-model';

const USAGE = 'usage: cdk-aegis report|threat-model [<cloud assembly directory, default cdk.out>]';

/**
 * `cdk-aegis report [dir]`: writes the SARIF file and the acknowledgement
 * ledger of a cloud assembly synthesized elsewhere, prints the summary, and
 * exits 1 when the validation report holds error findings.
 *
 * `cdk-aegis threat-model [dir]`: writes the STRIDE-D threat model of any
 * cloud assembly (`threat-model.tc.json`, `threat-model.md`) and exits 0.
 *
 * @internal
 */
export function runCli(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const [command, dir = 'cdk.out', ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  if ((command !== 'report' && command !== 'threat-model') || rest.length > 0) {
    err(USAGE);
    return 2;
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    err(`cdk-aegis ${command}: ${dir} is not a directory; pass the cloud assembly directory (\`cdk synth --output\`). ${USAGE}`);
    return 2;
  }
  if (command === 'threat-model') {
    return writeThreatModel(dir, out, err);
  }
  let summary;
  try {
    summary = writeComplianceReports(dir);
  } catch (e) {
    err(`cdk-aegis report: ${dir} does not hold a readable cloud assembly (${(e as Error).message}).`);
    return 2;
  }
  out(summaryLine(summary));
  out(`wrote ${[SARIF_FILE, LEDGER_JSON_FILE, LEDGER_MD_FILE].map((f) => `${dir}/${f}`).join(', ')}`);
  return summary.errors > 0 ? 1 : 0;
}

function writeThreatModel(dir: string, out: (line: string) => void, err: (line: string) => void): number {
  try {
    const summary = ThreatModel.write(dir);
    out(threatModelLine(summary));
    return 0;
  } catch (e) {
    err(`cdk-aegis threat-model: ${dir} does not hold a readable cloud assembly (${(e as Error).message}).`);
    return 2;
  }
}

/** The one-line summary of a threat model. @internal */
export function threatModelLine(summary: { elements: number; flows: number; threats: number; openThreats: number; files: string[] }): string {
  return `[cdk-aegis] threat model: ${summary.elements} elements · ${summary.flows} flows · ${summary.threats} threats (${summary.openThreats} open) → ${summary.files.join(', ')}`;
}
