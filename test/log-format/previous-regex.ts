/**
 * The table's `input.regex` as it was before it was made safe for java.util.regex (lib/log-format/regex.ts at
 * commit 0c38c5e), verbatim. Kept only so that tests can show the regex that replaced it reads every fixture line
 * the same. Do not use it anywhere else: a user agent of a few thousand `"` overflows Java's stack with it.
 */
export const PREVIOUS_REGEX =
  '(?:-|([^ ]+)) (?:-|([^ ]+)) (?:-|\\[([^\\]]+)\\]) (?:-|([^ ]+)) (?:-|(arn:aws[a-z-]*:iam::cloudfront:us' +
  'er/CloudFront Origin Access Identity [^ ]+|[^ ]+)) (?:-|([^ ]+)) (?:-|([^ ]+)) (?:-|([^ ]+)) (?:"-"|' +
  '-|"([^"]*(?:"[^"]*)*?)"|[^ "]+) (?:-|([0-9]+)) (?:-|([^ "]+)) (?:-|([0-9]{1,15})|[^ "]+) (?:-|([0-9]' +
  '{1,15})|[^ "]+) (?:-|([^ "]+)) (?:-|([^ "]+)) (?:"-"|-|"([^"]*(?:"[^"]*)*?)"|[^ "]+) (?:"-"|-|"([^"]' +
  '*(?:"[^"]*)*)"|[^ "]+) (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|' +
  '([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(?: (?:-|([^ "]+))(' +
  '?: [\\s\\S]*)?)?)?)?)?)?)?)?)?)?';
