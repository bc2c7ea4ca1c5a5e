/**
 * Rules on prop values that several constructs (and the CDK app) check, each written once: Glue and Athena
 * names, Athena's scan cap and date projection start, and Region codes. Each returns the problem as a sentence
 * naming the prop and the fix, or undefined when the value is fine or an unresolved token (CloudFormation
 * checks those at deploy).
 *
 * Not for the Lambda handlers: it imports aws-cdk-lib (Token, RegionInfo); lib/conventions.ts holds what they share.
 */
import { Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** Athena's smallest per-query data usage control. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

/** Glue database, table and view names Athena reads without quoting. */
const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;
/** A day as yyyy/MM/dd, or a start relative to today as Athena's date projection accepts it. */
const ABSOLUTE_DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const RELATIVE_DAY = /^NOW-\d+(YEARS|MONTHS|WEEKS|DAYS)$/;

/** A Glue database, table or view name (`prop` names it in the message). */
export function glueNameProblem(prop: string, name: string): string | undefined {
  // From JavaScript a required name can be missing, and RegExp.test(undefined) tests the text 'undefined'.
  if (typeof name !== 'string')
    return `${prop} is required: a Glue name such as s3_access_logs (got ${typeof name}).`;
  if (Token.isUnresolved(name) || GLUE_NAME.test(name)) return undefined;
  return (
    `${prop} '${name}' must be 1 to 255 lower-case letters, digits or underscores (Athena reads other ` +
    'names only when quoted), such as s3_access_logs.'
  );
}

/** An Athena workgroup name. */
export function workGroupNameProblem(prop: string, name: string): string | undefined {
  if (typeof name !== 'string')
    return `${prop} is required: a workgroup name such as s3-access-logs (got ${typeof name}).`;
  if (Token.isUnresolved(name) || WORKGROUP_NAME.test(name)) return undefined;
  return `${prop} '${name}' must be 1 to 128 letters, digits, '.', '_' or '-'.`;
}

/** An Athena workgroup's per-query scan cap, in bytes. */
export function bytesScannedCutoffProblem(prop: string, bytes: number): string | undefined {
  if (Token.isUnresolved(bytes) || (Number.isInteger(bytes) && bytes >= MIN_BYTES_SCANNED_CUTOFF)) {
    return undefined;
  }
  return (
    `${prop} must be at least 10 MB (${MIN_BYTES_SCANNED_CUTOFF} bytes), Athena's minimum ` +
    `(got ${bytes} bytes).`
  );
}

/** The first day of a date partition projection: `yyyy/MM/dd` (a real day) or `NOW-<n><unit>`. */
export function projectionStartProblem(prop: string, start: string): string | undefined {
  if (Token.isUnresolved(start) || validStart(start)) return undefined;
  return (
    `${prop} '${start}' must be a day as yyyy/MM/dd (2024/01/31) or a relative start ` +
    'such as NOW-90DAYS (units: DAYS, WEEKS, MONTHS, YEARS).'
  );
}

function validStart(start: string): boolean {
  if (RELATIVE_DAY.test(start)) return true;
  const m = ABSOLUTE_DAY.exec(start);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The Region codes aws-cdk-lib knows, from its region-info fact tables: the one list both the app's context and
 * the constructs' props are checked against, sorted.
 */
export function knownRegionCodes(): string[] {
  return RegionInfo.regions.map((r) => r.name).sort();
}

/** The codes of `regions` that aws-cdk-lib does not know; tokens are skipped. */
export function unknownRegions(regions: readonly string[]): string[] {
  const known = new Set(knownRegionCodes());
  return regions.filter((r) => !Token.isUnresolved(r) && !known.has(r));
}

/** One Region code. */
export function regionProblem(prop: string, region: string): string | undefined {
  if (unknownRegions([region]).length === 0) return undefined;
  return (
    `${prop} '${region}' is not a Region code aws-cdk-lib knows: use a code such as us-east-1 or eu-west-1 ` +
    '(for a Region newer than your aws-cdk-lib, upgrade aws-cdk-lib).'
  );
}

/** A list of Region codes. */
export function regionsProblem(prop: string, regions: readonly string[]): string | undefined {
  const unknown = unknownRegions(regions);
  if (unknown.length === 0) return duplicateRegionsProblem(prop, regions);
  return (
    `${prop} names a Region code aws-cdk-lib does not know (${unknown.map((r) => `'${r}'`).join(', ')}): use ` +
    'codes such as us-east-1 or eu-west-1 (for a Region newer than your aws-cdk-lib, upgrade aws-cdk-lib).'
  );
}

/** A Region listed twice would be deployed twice (a StackSet refuses that only at deploy time). */
function duplicateRegionsProblem(prop: string, regions: readonly string[]): string | undefined {
  const twice = [...new Set(regions.filter((r, i) => regions.indexOf(r) !== i))];
  if (twice.length === 0) return undefined;
  return `${prop} lists ${twice.map((r) => `'${r}'`).join(', ')} more than once: list each Region once.`;
}
