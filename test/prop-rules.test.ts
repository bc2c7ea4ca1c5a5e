import { Aws, Lazy } from 'aws-cdk-lib';
import {
  bytesScannedCutoffProblem,
  glueNameProblem,
  knownRegionCodes,
  projectionStartProblem,
  regionProblem,
  regionsProblem,
  unknownRegions,
  workGroupNameProblem,
} from '../lib/prop-rules';

const token = Lazy.string({ produce: () => 'Bad Name' });

describe('the rules several constructs share', () => {
  it.each([
    ['s3_access_logs', undefined],
    ['a'.repeat(255), undefined],
    ['a'.repeat(256), /must be 1 to 255 lower-case letters/],
    ['', /must be 1 to 255/],
    ['Bad-DB', /^name 'Bad-DB' must be 1 to 255 lower-case letters, digits or underscores/],
  ])('takes %j as a Glue name or says why not', (name, problem) => {
    const found = glueNameProblem('name', name);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('names a name missing from JavaScript, which RegExp.test would read as the text "undefined"', () => {
    const missing = undefined as unknown as string;
    expect(glueNameProblem('databaseName', missing)).toMatch(/^databaseName is required: a Glue name/);
    expect(workGroupNameProblem('workGroupName', missing)).toMatch(
      /^workGroupName is required: a workgroup name/,
    );
  });

  it('leaves tokens to CloudFormation', () => {
    expect(glueNameProblem('name', token)).toBeUndefined();
    expect(workGroupNameProblem('workGroupName', token)).toBeUndefined();
    expect(projectionStartProblem('projectionStart', token)).toBeUndefined();
    expect(regionProblem('region', Aws.REGION)).toBeUndefined();
  });

  it('takes workgroup names Athena takes, and no other', () => {
    expect(workGroupNameProblem('workGroupName', 's3-access-logs.v2_A')).toBeUndefined();
    expect(workGroupNameProblem('workGroupName', '')).toMatch(/^workGroupName '' must be 1 to 128/);
    expect(workGroupNameProblem('workGroupName', 'a b')).toBeDefined();
  });

  it('holds the scan cap at Athena’s minimum of 10 MB', () => {
    expect(bytesScannedCutoffProblem('cap', 10_000_000)).toBeUndefined();
    expect(bytesScannedCutoffProblem('cap', 9_999_999)).toMatch(
      /^cap must be at least 10 MB .*\(got 9999999 bytes\)\.$/,
    );
  });

  it('takes a real day or a relative start as the projection start', () => {
    expect(projectionStartProblem('start', '2024/02/29')).toBeUndefined();
    expect(projectionStartProblem('start', 'NOW-3MONTHS')).toBeUndefined();
    expect(projectionStartProblem('start', '2023/02/29')).toMatch(/^start '2023\/02\/29' must be a day/);
    expect(projectionStartProblem('start', '2024-01-31')).toBeDefined();
  });

  it('knows the Regions aws-cdk-lib knows, and names only the unknown ones', () => {
    expect(knownRegionCodes()).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    expect(unknownRegions(['us-east-1', 'mars-1', Aws.REGION])).toEqual(['mars-1']);
    expect(regionProblem('target.region', 'eu-west-1')).toBeUndefined();
    expect(regionProblem('target.region', 'nowhere')).toMatch(
      /^target\.region 'nowhere' is not a Region code/,
    );
    expect(regionsProblem('regions', ['us-east-1', 'mars-1', 'pluto-9'])).toMatch(
      /^regions names a Region code aws-cdk-lib does not know \('mars-1', 'pluto-9'\)/,
    );
    expect(regionsProblem('regions', ['us-east-1'])).toBeUndefined();
  });

  it('refuses a Region listed twice, naming it', () => {
    expect(regionsProblem('regions', ['us-east-1', 'eu-west-1', 'us-east-1', 'eu-west-1', 'us-east-1'])).toBe(
      "regions lists 'us-east-1', 'eu-west-1' more than once: list each Region once.",
    );
    expect(regionsProblem('regions', ['us-east-1', 'eu-west-1'])).toBeUndefined();
  });
});
