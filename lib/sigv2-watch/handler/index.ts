/**
 * The SigV2 watch's Lambda function: after each successful compaction (EventBridge), the digest of the day it
 * compacted, with Athena on the compacted table; then the day's metrics, the SNS digest and the EventBridge
 * event. Imports neither aws-cdk-lib nor constructs: it is bundled on its own.
 */

import { setTimeout } from 'node:timers/promises';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { CONFIG_ENV, type WatchConfig } from '../types';
import { daysOfEvent } from './event';
import { type Deps, type DigestSummary, digestDay, refreshMetrics } from './run';

const clients = {
  athena: new AthenaClient({}),
  cloudwatch: new CloudWatchClient({}),
  sns: new SNSClient({}),
  events: new EventBridgeClient({}),
};

function config(): WatchConfig {
  const text = process.env[CONFIG_ENV];
  if (text === undefined) throw new Error(`${CONFIG_ENV} is not set: the function is not configured`);
  return JSON.parse(text) as WatchConfig;
}

export async function handler(event: unknown): Promise<DigestSummary> {
  const deps: Deps = {
    ...clients,
    sleep: (ms) => setTimeout(ms).then(() => undefined),
    now: () => new Date(),
  };
  const { day, recompacted } = daysOfEvent(event);
  const settings = config();
  const { refreshed, skipped } = await refreshMetrics(deps, settings, recompacted);
  const summary = { ...(await digestDay(deps, settings, day, skipped)), refreshed };
  console.log(JSON.stringify(summary));
  return summary;
}
