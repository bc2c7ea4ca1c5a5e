/**
 * A small evaluator of the IAM policy language, for the statements this project writes in bucket policies:
 * Allow/Deny, Principal `*` or an account, Action/NotAction and Resource/NotResource with `*` and `?`
 * wildcards and policy variables (`${aws:PrincipalAccount}`, ...), and the condition operators StringEquals,
 * StringNotEquals, StringLike, StringNotLike, ArnLike, ArnNotLike, NumericLessThan, Bool and their ...IfExists forms. It follows AWS's documented
 * evaluation logic for a request against one bucket policy: an explicit deny wins; across accounts the bucket
 * policy must allow; inside the bucket owner's account an identity policy may allow instead.
 *
 * Anything else in a statement (another operator, another element) throws, so that a policy this evaluator
 * cannot read fails the test instead of passing it.
 */

/** A policy statement as it appears in a synthesized template, resolved to strings. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | { readonly AWS: string | readonly string[] };
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | number | readonly string[]>>>
  >;
}

/** One request. Context keys absent from `context` are absent from the request. */
export interface Request {
  readonly action: string;
  readonly resource: string;
  /** The caller's account (`aws:PrincipalAccount`). */
  readonly principalAccount: string;
  /** Request context: `aws:PrincipalOrgID`, `aws:SecureTransport`, `s3:prefix`, ... */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

/**
 * The decision for `request` under the bucket policy `statements` of a bucket owned by `owner`. A caller of the
 * owner's account is taken to hold an identity policy that allows the request (`identityAllows`), so only the
 * bucket policy's denies can stop it; a caller of another account needs an Allow in the bucket policy.
 */
export function evaluate(
  statements: readonly Statement[],
  request: Request,
  owner: string,
  identityAllows = true,
): Decision {
  const context: Record<string, string> = {
    'aws:PrincipalAccount': request.principalAccount,
    ...request.context,
  };
  const matching = statements.filter((s) => matches(s, request, context));
  if (matching.some((s) => s.Effect === 'Deny')) return 'ExplicitDeny';
  const allowedByBucket = matching.some((s) => s.Effect === 'Allow');
  if (allowedByBucket) return 'Allow';
  if (request.principalAccount === owner && identityAllows) return 'Allow';
  return 'ImplicitDeny';
}

function list(value: string | number | readonly (string | number)[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function matches(s: Statement, request: Request, context: Record<string, string>): boolean {
  const known = new Set([
    'Sid',
    'Effect',
    'Principal',
    'Action',
    'NotAction',
    'Resource',
    'NotResource',
    'Condition',
  ]);
  for (const key of Object.keys(s))
    if (!known.has(key)) throw new Error(`evaluator cannot read element ${key}`);
  if (!principalMatches(s.Principal, request.principalAccount)) return false;
  if (s.Action !== undefined && !list(s.Action).some((a) => wildcard(a, request.action, false))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => wildcard(a, request.action, false)))
    return false;
  const resource = (pattern: string) => wildcard(substitute(pattern, context), request.resource, true);
  if (s.Resource !== undefined && !list(s.Resource).some(resource)) return false;
  if (s.NotResource !== undefined && list(s.NotResource).some(resource)) return false;
  return conditionsHold(s.Condition ?? {}, context);
}

function principalMatches(principal: Statement['Principal'], account: string): boolean {
  if (principal === undefined) throw new Error('a bucket policy statement needs a Principal');
  if (principal === '*') return true;
  return list(principal.AWS).some((p) => p === '*' || p === account || p === `arn:aws:iam::${account}:root`);
}

/** `${key}` replaced by the request's value; a variable whose key is absent matches nothing. */
function substitute(pattern: string, context: Record<string, string>): string {
  return pattern.replace(/\$\{([^}]+)\}/g, (_, key: string) => context[key] ?? '\u0000absent\u0000');
}

/** IAM wildcards: `*` any run, `?` one character. Actions compare case-insensitively. */
function wildcard(pattern: string, value: string, caseSensitive: boolean): boolean {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, caseSensitive ? 's' : 'is').test(value);
}

/**
 * ArnLike as AWS documents it: the six colon-separated parts of the ARN are compared one by one, case-sensitively,
 * each with `*` and `?` wildcards (so a `*` never spans a colon outside the resource part).
 */
function arnLike(pattern: string, arn: string): boolean {
  const parts = (value: string) => {
    const split = value.split(':');
    return split.length < 6 ? undefined : [...split.slice(0, 5), split.slice(5).join(':')];
  };
  const [p, a] = [parts(pattern), parts(arn)];
  if (p === undefined || a === undefined) return false;
  return p.every((part, i) => wildcard(part, a[i], true));
}

function conditionsHold(
  conditions: Readonly<Record<string, Readonly<Record<string, string | number | readonly string[]>>>>,
  context: Record<string, string>,
): boolean {
  return Object.entries(conditions).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) =>
      operatorHolds(operator, context[key], list(expected), context),
    ),
  );
}

function operatorHolds(
  operator: string,
  actual: string | undefined,
  expected: readonly string[],
  context: Record<string, string>,
): boolean {
  const ifExists = operator.endsWith('IfExists');
  const base = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const values = expected.map((e) => substitute(e, context));
  if (actual === undefined) {
    // AWS: an absent key makes a positive operator false and a negated one true; IfExists makes both true.
    if (ifExists) return true;
    return base.includes('Not') && (base.startsWith('String') || base.startsWith('Arn'));
  }
  switch (base) {
    case 'StringEquals':
      return values.includes(actual);
    case 'StringNotEquals':
      return !values.includes(actual);
    case 'StringLike':
      return values.some((v) => wildcard(v, actual, true));
    case 'StringNotLike':
      return !values.some((v) => wildcard(v, actual, true));
    case 'ArnLike':
      return values.some((v) => arnLike(v, actual));
    case 'ArnNotLike':
      return !values.some((v) => arnLike(v, actual));
    case 'NumericLessThan':
      return values.some((v) => Number(actual) < Number(v));
    case 'Bool':
      return values.some((v) => v.toLowerCase() === actual.toLowerCase());
    default:
      throw new Error(`evaluator cannot read condition operator ${operator}`);
  }
}

/**
 * A template's bucket policy statements with `Fn::Join`, `Fn::GetAtt <bucket>.Arn` and pseudo-parameter `Ref`s
 * replaced by literals, so that the evaluator sees the strings AWS would.
 */
export function resolveStatements(
  statements: readonly unknown[],
  values: { readonly bucketArns: Readonly<Record<string, string>>; readonly account: string },
): Statement[] {
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(sep);
    }
    if ('Fn::GetAtt' in o) {
      const [id, attr] = o['Fn::GetAtt'] as [string, string];
      const arn = values.bucketArns[id];
      if (attr !== 'Arn' || arn === undefined) throw new Error(`cannot resolve GetAtt ${id}.${attr}`);
      return arn;
    }
    if ('Ref' in o) {
      const refs: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::AccountId': values.account };
      const ref = refs[o.Ref as string];
      if (ref === undefined) throw new Error(`cannot resolve Ref ${String(o.Ref)}`);
      return ref;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, resolve(x)]));
  };
  return statements.map(resolve) as Statement[];
}
