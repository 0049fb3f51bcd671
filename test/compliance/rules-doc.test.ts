import * as fs from 'fs';
import * as path from 'path';
import { CONSTRUCT_COVERAGE, renderRulesMarkdown } from '../../projenrc/rules-doc';
import { AEGIS_RULES } from '../../src/compliance/rules';

const PACK_FILES: Record<string, string> = {
  'AwsSolutions': 'aws-solutions.js',
  'Serverless': 'serverless.js',
  'HIPAA.Security': 'hipaa-security.js',
  'NIST.800.53.R5': 'nist-800-53-r5.js',
  'PCI.DSS.321': 'pci-dss-321.js',
};
const packSource = (pack: string) => fs.readFileSync(path.join(path.dirname(require.resolve('cdk-nag')), 'packs', PACK_FILES[pack]), 'utf8');

describe('RULES.md', () => {
  test('is up to date with the rules\' metadata (run `npx projen rules:doc` when this fails)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    expect(onDisk).toBe(renderRulesMarkdown());
  });

  test('lists every rule, each with an explicit, unique id', () => {
    const ids = AEGIS_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Z]+[0-9]+$/);
      expect(renderRulesMarkdown()).toContain(`## Aegis-${id}`);
    }
  });

  test('names only public-pack rules that exist', () => {
    for (const { rules } of CONSTRUCT_COVERAGE) {
      for (const rule of rules) {
        const [, pack, name] = /^(AwsSolutions|Serverless|HIPAA\.Security|NIST\.800\.53\.R5|PCI\.DSS\.321)-(.+)$/.exec(rule)!;
        const source = packSource(pack);
        const known = pack === 'AwsSolutions' ? source.includes(`ruleSuffixOverride: '${name}'`) : source.includes(`.${name},`);
        expect(`${rule} ${known ? 'exists' : 'is unknown'}`).toBe(`${rule} exists`);
      }
    }
  });
});
