import { App, Stack } from 'aws-cdk-lib';

/** An app for unit tests: no template validation, no bundling, a fixed account and Region. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
}

/** A stack with a concrete environment, so that names carrying account and Region resolve to literals. */
export function testStack(app: App = testApp(), id = 'TestStack', region = 'us-east-1'): Stack {
  return new Stack(app, id, { env: { account: '111122223333', region } });
}
