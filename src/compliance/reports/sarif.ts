import { AssemblyFacts, ReportEntry } from './assembly';
import { AEGIS_PACK_NAME } from '../packs/aegis-checks';
import { AEGIS_RULES } from '../rules';

/** The SARIF version written, and its schema. */
export const SARIF_VERSION = '2.1.0';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
 * A SARIF 2.1.0 log of the findings in `facts`: one run per rule pack, one
 * result per finding and construct, located by template file and logical id
 * (physical) and construct path (logical). Acknowledged findings are left
 * out: they are in the ledger.
 *
 * @internal
 */
export function toSarif(facts: AssemblyFacts, toolVersion: string, templateDir: string = ''): object {
  const plugins = [...new Set([...facts.plugins, ...facts.findings.map((f) => f.plugin)])];
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: plugins.map((plugin) => {
      const findings = facts.findings.filter((f) => f.plugin === plugin);
      const ruleIds = [...new Set(findings.map((f) => baseRule(f.ruleName)))];
      return {
        tool: {
          driver: {
            name: plugin,
            fullName: `${plugin} (a CDK validation plugin; reported by cdk-aegis ${toolVersion})`,
            version: toolVersion,
            ...(plugin === AEGIS_PACK_NAME ? { informationUri: 'https://github.com/cdk-aegis/cdk-aegis/blob/main/RULES.md' } : {}),
            rules: ruleIds.map((id) => ruleDescriptor(id, findings.find((f) => baseRule(f.ruleName) === id)!)),
          },
        },
        results: findings.flatMap((finding) =>
          finding.constructPaths.map((constructPath) => result(finding, constructPath, ruleIds, facts, templateDir))),
      };
    }),
  };
}

function baseRule(ruleName: string): string {
  return ruleName.replace(/\[.*\]$/, '');
}

function ruleDescriptor(id: string, sample: ReportEntry): object {
  const own = AEGIS_RULES.find((rule) => `${AEGIS_PACK_NAME}-${rule.id}` === id);
  return {
    id,
    shortDescription: { text: own?.info ?? sample.description },
    fullDescription: { text: own ? `${own.info} ${own.explanation}` : sample.description },
    defaultConfiguration: { level: sarifLevel(sample.severity) },
  };
}

function templateUri(templateDir: string, templateFile: string): string {
  return templateDir === '' ? templateFile : `${templateDir}/${templateFile}`;
}

/** SARIF levels: error, warning, note. */
function sarifLevel(severity: string): string {
  return severity === 'error' || severity === 'fatal' ? 'error' : severity === 'info' ? 'note' : 'warning';
}

function result(finding: ReportEntry, constructPath: string, ruleIds: string[], facts: AssemblyFacts, templateDir: string): object {
  const location = facts.locations.get(constructPath);
  const granular = /\[(.*)\]$/.exec(finding.ruleName)?.[1];
  return {
    ruleId: baseRule(finding.ruleName),
    ruleIndex: ruleIds.indexOf(baseRule(finding.ruleName)),
    level: sarifLevel(finding.severity),
    message: { text: `${finding.description}${granular ? ` (${granular})` : ''} — ${constructPath}` },
    locations: [{
      // Relative to the repository root (where CI runs), as code scanning resolves it.
      ...(location
        ? { physicalLocation: { artifactLocation: { uri: templateUri(templateDir, location.templateFile) }, region: { startLine: 1 } } }
        : {}),
      logicalLocations: [
        { fullyQualifiedName: constructPath, kind: 'member' },
        ...(location ? [{ name: location.logicalId, kind: 'resource' }] : []),
      ],
    }],
    partialFingerprints: { constructPath: `${finding.ruleName}@${constructPath}` },
  };
}
