/**
 * The test world itself (world.ts): the mocks it puts on the clients' prototypes answer every client the code
 * makes while it lives, and `restore` takes them all off, so that the next test's world is the one answering.
 */
import { GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { credentials, handlerWorld, REGION } from './world';

/** A Glue client that, should no mock answer it, fails at once rather than reach AWS. */
const glueClient = () =>
  new GlueClient({ region: REGION, credentials, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
const getTable = () => glueClient().send(new GetTableCommand({ DatabaseName: 'db', Name: 'logs' }));

it("restores every client's own send", () => {
  const own = [GlueClient, S3Client, DynamoDBDocumentClient].map((c) => c.prototype.send);

  const world = handlerWorld();
  world.restore();

  expect([GlueClient, S3Client, DynamoDBDocumentClient].map((c) => c.prototype.send)).toEqual(own);
});

it("answers Glue with the newest world's mock after an earlier world was restored", async () => {
  handlerWorld().restore();
  const world = handlerWorld();
  world.glue.on(GetTableCommand).resolves({ Table: { Name: 'logs' } });

  await expect(getTable()).resolves.toMatchObject({ Table: { Name: 'logs' } });
  expect(world.glue.commandCalls(GetTableCommand)).toHaveLength(1);
  world.restore();
});
