import * as fs from 'fs';
import { LEDGER_JSON_FILE, LEDGER_MD_FILE, SARIF_FILE, summaryLine, writeComplianceReports } from './write';

const USAGE = 'usage: cdk-aegis report [<cloud assembly directory, default cdk.out>]';

/**
 * `cdk-aegis report [dir]`: writes the SARIF file and the acknowledgement
 * ledger of a cloud assembly synthesized elsewhere, prints the summary, and
 * exits 1 when the validation report holds error findings.
 *
 * @internal
 */
export function runCli(args: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const [command, dir = 'cdk.out', ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    out(USAGE);
    return 0;
  }
  if (command !== 'report' || rest.length > 0) {
    err(USAGE);
    return 2;
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    err(`cdk-aegis report: ${dir} is not a directory; pass the cloud assembly directory (\`cdk synth --output\`). ${USAGE}`);
    return 2;
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
