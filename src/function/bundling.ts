/** The module format of a bundle. */
export enum BundleFormat {
  /** CommonJS: `index.js` (what most handlers and packages expect). */
  CJS = 'cjs',
  /** ECMAScript modules: `index.mjs` (top-level `await`; some packages need a `banner` to `require`). */
  ESM = 'esm',
}

/**
 * How {@link SecureFunction} bundles its `entry` with esbuild: the options of
 * aws-cdk-lib's `NodejsFunction` that matter, typed. Bundling runs locally
 * (no Docker, no network): add esbuild to the app as `NodejsFunction` users do
 * (`npm install --save-dev esbuild`).
 */
export interface EntryBundling {
  /**
   * Modules left out of the bundle, resolved at run time (wildcards as esbuild
   * takes them: `@aws-sdk/*`).
   *
   * @default ['@aws-sdk/*'] - the AWS SDK v3 every Node.js runtime carries
   */
  readonly externalModules?: string[];

  /**
   * Packages installed next to the bundle instead of bundled (native modules,
   * packages that read their own files), copied from the project's
   * `node_modules` with their dependencies, at the versions the lock file
   * installed. They are listed in the SBOM too.
   *
   * @default - none
   */
  readonly nodeModules?: string[];

  /**
   * Identifiers replaced at build time (esbuild `--define`), e.g.
   * `{ 'process.env.STAGE': JSON.stringify('prod') }`: values are JavaScript
   * expressions.
   *
   * @default - none
   */
  readonly define?: { [name: string]: string };

  /**
   * Loaders by file extension (esbuild `--loader`), e.g. `{ '.png': 'dataurl' }`.
   *
   * @default - esbuild's defaults
   */
  readonly loader?: { [extension: string]: string };

  /**
   * Code put at the top of the bundle (esbuild `--banner:js`).
   *
   * @default - none
   */
  readonly banner?: string;

  /**
   * The module format.
   *
   * @default BundleFormat.CJS
   */
  readonly format?: BundleFormat;

  /**
   * The package.json fields esbuild reads to find a package's entry point, in
   * order (esbuild `--main-fields`), e.g. `['module', 'main']`.
   *
   * @default - esbuild's default for the node platform (`main,module`)
   */
  readonly mainFields?: string[];

  /**
   * The tsconfig.json esbuild reads (paths, decorators, JSX settings).
   *
   * @default - the one esbuild finds next to the entry or above it
   */
  readonly tsconfig?: string;

  /**
   * Minify the bundle.
   *
   * @default true
   */
  readonly minify?: boolean;

  /**
   * Write a source map and turn on `NODE_OPTIONS=--enable-source-maps`, so
   * stack traces in the logs name the TypeScript lines.
   *
   * @default true
   */
  readonly sourceMap?: boolean;

  /**
   * Further esbuild arguments, as flags without their leading `--`
   * (`{ 'log-limit': '0', 'keep-names': true }`). They cannot override what
   * the construct sets (entry, output, bundle, platform, metafile).
   *
   * @default - none
   */
  readonly esbuildArgs?: { [flag: string]: string | boolean };

  /**
   * The lock file of the project (`package-lock.json`, `yarn.lock`,
   * `pnpm-lock.yaml`, `bun.lockb`): it locates the project's `node_modules`.
   *
   * @default - the nearest one in the current working directory or above it, as `NodejsFunction` finds it
   */
  readonly depsLockFilePath?: string;

  /**
   * The project's root directory: the asset's source (nothing in it is
   * copied; only the bundle is deployed).
   *
   * @default - the directory of `depsLockFilePath`
   */
  readonly projectRoot?: string;
}
