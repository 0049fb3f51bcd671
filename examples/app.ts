/**
 * Example: a function that calls a third-party API with a key kept in Secrets
 * Manager, under `Compliance.of(app).enforce()`.
 *
 * `npx projen synth:example` synthesizes it with the CDK CLI; every rule pack
 * of the BASELINE profile runs and the synth fails on any finding.
 */
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Compliance, SecretRotation, SecureFunction, SecureSecret } from '../src';

export function buildApp(props: AppProps = {}): App {
  const app = new App(props);
  Compliance.of(app).enforce();

  const stack = new Stack(app, 'VendorQuotes', {
    description: 'cdk-aegis example: a function calling a third-party API with a key from Secrets Manager',
  });

  const vendorApiKey = new SecureSecret(stack, 'VendorApiKey', {
    description: 'API key issued by the quotes vendor; set its value out of band',
    rotation: SecretRotation.none({ reason: 'issued by the vendor; rotated in the vendor portal, then updated here' }),
  });

  new SecureFunction(stack, 'QuoteClient', {
    code: lambda.Code.fromAsset(path.join(__dirname, 'handlers', 'vendor-client')),
    handler: 'index.handler',
    environment: { VENDOR_API_URL: 'https://api.quotes.example.com/v2' },
    secrets: { VENDOR_API_KEY: vendorApiKey },
  });

  return app;
}

if (require.main === module) {
  buildApp().synth();
}
