import * as fs from 'fs';
import * as path from 'path';

/**
 * The floors of src/: a folder imports only from itself and from floors below
 * it, and no file imports itself through a circle. core is the ground floor.
 */
const FLOORS: Record<string, number> = {
  'core': 0,
  'compliance': 1,
  'monitoring': 1,
  // Reads cloud assemblies only (no constructs); compliance writes it at synth.
  'threat-model': 0.5,
  'secrets': 2,
  'data': 2,
  'function': 3,
  'api': 4,
  'audit': 3,
  // SecureDefaults hardens plain constructs with the Secure* building blocks (API and functions next).
  'hardening': 5,
  // CloudFront in front of buckets, APIs and functions (api, data, function, secrets below).
  'edge': 5,
  // The entry points re-export and wire everything.
  'index.ts': 9,
  'cli.ts': 9,
};

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of `file`, as absolute paths of .ts files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^;]*?from '(\.[^']+)'/g)].map((m) => {
    const target = path.resolve(path.dirname(file), m[1]);
    return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
  });
}

const floorOf = (file: string) => {
  const top = path.relative(SRC, file).split(path.sep)[0];
  if (!(top in FLOORS)) {
    throw new Error(`src/${top} has no floor in test/layout.test.ts: give it one`);
  }
  return { top, floor: FLOORS[top] };
};

describe('source layout', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  test('no import runs up a floor (core imports nothing above it; monitoring imports only core)', () => {
    const upward = files.flatMap((file) => {
      const from = floorOf(file);
      return graph.get(file)!
        .filter((target) => {
          const to = floorOf(target);
          return to.top !== from.top && to.floor >= from.floor;
        })
        .map((target) => `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
    });
    expect(upward).toEqual([]);
  });

  test('there are no import circles', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    files.forEach((f) => visit(f, []));
    expect(circles).toEqual([]);
  });

  test('the public entry point exports nothing from a private/ folder', () => {
    expect(importsOf(path.join(SRC, 'index.ts')).filter((f) => f.split(path.sep).includes('private')).map((f) => path.relative(SRC, f))).toEqual([]);
  });

  test('build tooling does not ship in lib/ (RULES.md is generated from projenrc/)', () => {
    expect(files.filter((f) => /rules-doc/.test(f))).toEqual([]);
  });
});
