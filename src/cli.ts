#!/usr/bin/env node
// `npx cdk-aegis report cdk.out`: compliance reports for pipelines that synthesize elsewhere.
import { runCli } from './compliance/reports/cli';

process.exitCode = runCli(process.argv.slice(2));
