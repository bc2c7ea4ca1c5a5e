import { Template } from 'aws-cdk-lib/assertions';
import { AccessLogsStack, type AccessLogsStackProps } from '../../lib/access-logs-stack';
import { testApp } from './app';

/** An AccessLogsStack in account 111122223333 and `region` (us-east-1 by default) of a test app, and its template. */
export function synthStack(
  props: AccessLogsStackProps = {},
  region = props.env?.region ?? 'us-east-1',
): { stack: AccessLogsStack; template: Template } {
  const stack = new AccessLogsStack(testApp(), `S3AccessLogs-${region}`, {
    ...props,
    env: { account: '111122223333', region },
  });
  return { stack, template: Template.fromStack(stack) };
}
