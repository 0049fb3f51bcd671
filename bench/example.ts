/**
 * One synth of the example app (examples/app.ts) in its own process, under the CDK CLI's conditions
 * (construct paths in the templates): how long the synth takes, threat model included (enforce()
 * writes it), and how long generating the threat model alone takes on the same assembly. Prints one JSON line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { buildApp } from '../examples/app';
import { ThreatModel } from '../src';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aegis-bench-example-'));
const started = performance.now();
buildApp({ outdir, context: { 'aws:cdk:enable-path-metadata': true } }).synth();
const synthMs = performance.now() - started;
const t = performance.now();
const summary = ThreatModel.write(outdir);
const threatModelMs = performance.now() - t;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ synthMs, threatModelMs, threats: summary.threats, elements: summary.elements, flows: summary.flows })}\n`);
