import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads lines as Athena does: java.util.regex, Matcher.matches(), group N = column N, a group that takes no part
 * in the match is NULL. Compiled once as Hive's RegexSerDe does (no flags) and once as Trino's RegexDeserializer
 * does (DOTALL); both must agree. Prints one JSON array per line: null if the line does not match, else the 27
 * values (strings or null); or the string "StackOverflowError" where java.util.regex ran out of stack on the line
 * (Athena's reader does not catch that error: the query fails). Runs on the JVM's default thread stack, as
 * Athena's readers do: no -Xss. Usage: java RegexParity.java <regex file> < lines
 */
public class RegexParity {
  public static void main(String[] args) throws Exception {
    String regex = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
    Pattern hive = Pattern.compile(regex);
    Pattern trino = Pattern.compile(regex, Pattern.DOTALL);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      String a = read(hive.matcher(line));
      String b = read(trino.matcher(line));
      if (!a.equals(b)) throw new IllegalStateException("Hive and Trino flags disagree on: " + line);
      out.println(a);
    }
    out.flush();
  }

  private static String read(Matcher m) {
    try {
      if (!m.matches()) return "null";
    } catch (StackOverflowError e) {
      return "\"StackOverflowError\"";
    }
    StringBuilder sb = new StringBuilder("[");
    for (int g = 1; g <= m.groupCount(); g++) {
      if (g > 1) sb.append(',');
      String v = m.group(g);
      if (v == null) { sb.append("null"); continue; }
      sb.append('"');
      for (char c : v.toCharArray()) {
        if (c == '"' || c == '\\') sb.append('\\').append(c);
        else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
        else sb.append(c);
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }
}
