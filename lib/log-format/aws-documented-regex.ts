/**
 * AWS's own RegexSerDe regex for the 27-column table, from the Amazon S3 User Guide, "Using Amazon S3 server
 * access logs to identify requests" (the `CREATE EXTERNAL TABLE` with `sourceregion`), as Glue would store it.
 *
 * For comparison only (tests and benchmarks): the project's table does not use it. Like ACCESS_LOG_REGEX it is
 * unanchored; wrap it as `^(?:...)$` to run it as Athena does (`Matcher.matches()`). It puts the nine fields after
 * `versionid` in one optional group, so a line that lacks any of them gets NULL in all nine (`sigv` included),
 * it reads `-` and `"-"` as text, and a quoted field with an unescaped `"` inside fails the whole line.
 */
export const AWS_DOCUMENTED_REGEX =
  '([^ ]*) ([^ ]*) \\[(.*?)\\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ' +
  '([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) ([^ ]*)' +
  '(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$';
