import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findLockFile } from '../../src/function/private/esbuild';
import { cycloneDx, npmPurl, packageOfFile, packagesOfLockFile, readPackageJson } from '../../src/function/private/sbom';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-sbom-'));

function packageDir(json: unknown): string {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'package.json'), typeof json === 'string' ? json : JSON.stringify(json));
  return dir;
}

describe('SBOM building blocks', () => {
  test('purls percent-encode the scope\'s @ and the version', () => {
    expect(npmPurl('@smithy/types', '4.1.0')).toBe('pkg:npm/%40smithy/types@4.1.0');
    expect(npmPurl('ajv', '8.17.1')).toBe('pkg:npm/ajv@8.17.1');
    expect(npmPurl('left-pad', '1.0.0+build.1')).toBe('pkg:npm/left-pad@1.0.0%2Bbuild.1');
  });

  test('a bundled file belongs to the package after its last node_modules', () => {
    expect(packageOfFile('node_modules/ajv/dist/core.js')).toEqual({ name: 'ajv', dir: 'node_modules/ajv' });
    expect(packageOfFile('/app/node_modules/@scope/a/node_modules/@scope/b/index.js')).toEqual({
      name: '@scope/b', dir: '/app/node_modules/@scope/a/node_modules/@scope/b',
    });
    expect(packageOfFile('src/handler.ts')).toBeUndefined();
  });

  test.each([
    ['an SPDX expression', { name: 'a', version: '1.0.0', license: 'MIT OR Apache-2.0' }, 'MIT OR Apache-2.0'],
    ['the object form', { name: 'a', version: '1.0.0', license: { type: 'ISC' } }, 'ISC'],
    ['the old list form', { name: 'a', version: '1.0.0', licenses: [{ type: 'MIT' }, { type: 'GPL-2.0' }] }, 'MIT OR GPL-2.0'],
    ['no license', { name: 'a', version: '1.0.0' }, undefined],
  ])('a package.json license in %s is read', (_name, json, license) => {
    expect(readPackageJson(packageDir(json))?.license).toBe(license);
  });

  test('a directory without a readable, named and versioned package.json is no package', () => {
    expect(readPackageJson(tmp())).toBeUndefined();
    expect(readPackageJson(packageDir('{ not json'))).toBeUndefined();
    expect(readPackageJson(packageDir({ private: true }))).toBeUndefined();
  });

  test('a lock file that is missing, not JSON, or has no packages (lockfileVersion 1) gives no SBOM', () => {
    const dir = tmp();
    expect(packagesOfLockFile(path.join(dir, 'package-lock.json'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0' } } }));
    expect(packagesOfLockFile(path.join(dir, 'package-lock.json'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'package-lock.json'), '<<<<<<< HEAD');
    expect(packagesOfLockFile(path.join(dir, 'package-lock.json'))).toBeUndefined();
  });

  test('a lock file names aliased packages by their real name and skips linked workspaces', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { lodash4: 'npm:lodash@^4' } },
        'node_modules/lodash4': { name: 'lodash', version: '4.17.21', license: 'MIT' },
        'node_modules/shared': { resolved: 'packages/shared', link: true },
      },
    }));
    expect(packagesOfLockFile(path.join(dir, 'package-lock.json'))).toEqual({
      packages: [{ name: 'lodash', version: '4.17.21', license: 'MIT', dependsOn: [] }],
      direct: ['lodash4'],
    });
  });

  test('one component per name and version, dependencies by name, and no self-dependency', () => {
    const sbom: any = cycloneDx({
      functionPath: 'S/Fn',
      source: 'test',
      direct: ['a', 'missing'],
      packages: [
        { name: 'a', version: '1.0.0', dependsOn: ['a', 'b'] },
        { name: 'a', version: '1.0.0', dependsOn: ['b'] },
        { name: 'b', version: '2.0.0', dependsOn: [] },
      ],
    });
    expect(sbom.components.map((c: any) => c['bom-ref'])).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@2.0.0']);
    expect(sbom.dependencies).toEqual([
      { ref: 'function:S/Fn', dependsOn: ['pkg:npm/a@1.0.0'] },
      { ref: 'pkg:npm/a@1.0.0', dependsOn: ['pkg:npm/b@2.0.0'] },
      { ref: 'pkg:npm/b@2.0.0', dependsOn: [] },
    ]);
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('the lock file is found from a directory up, or not at all', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'yarn.lock'), '');
    fs.mkdirSync(path.join(root, 'packages', 'api'), { recursive: true });
    expect(findLockFile(path.join(root, 'packages', 'api'))).toBe(path.join(root, 'yarn.lock'));
    expect(findLockFile(path.parse(root).root)).toBeUndefined();
  });
});
