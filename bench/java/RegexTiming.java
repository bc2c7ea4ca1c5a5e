import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Times java.util.regex Matcher.matches() (as Athena's RegexSerDe runs it) for each regex file on each input line
 * (`name<TAB>line`), on the default thread stack. Prints `name<TAB>regex index<TAB>result<TAB>ms` per pair, where
 * result is match, nomatch, overflow (StackOverflowError) or timeout (gave up after the limit), and ms the median
 * of 3 runs after one warm-up. Usage: java RegexTiming.java <limit ms> <regex file>... < lines
 */
public class RegexTiming {
  /** A line that gives up (throws) once its deadline has passed, so that a runaway match can be stopped. */
  static final class Deadline implements CharSequence {
    private final String s;
    private final long deadline;
    private int calls;

    Deadline(String s, long deadline) {
      this.s = s;
      this.deadline = deadline;
    }

    public char charAt(int i) {
      if ((++calls & 0xfff) == 0 && System.nanoTime() > deadline) throw new IllegalStateException("timeout");
      return s.charAt(i);
    }

    public int length() {
      return s.length();
    }

    public CharSequence subSequence(int a, int b) {
      return s.subSequence(a, b);
    }

    public String toString() {
      return s;
    }
  }

  /** One matches() call: its result and how long it took, in ms. */
  static Object[] time(Pattern pattern, String line, long limitNanos) {
    long start = System.nanoTime();
    String result;
    try {
      result = pattern.matcher(new Deadline(line, start + limitNanos)).matches() ? "match" : "nomatch";
    } catch (StackOverflowError e) {
      result = "overflow";
    } catch (IllegalStateException e) {
      result = "timeout";
    }
    return new Object[] {result, (System.nanoTime() - start) / 1e6};
  }

  public static void main(String[] args) throws Exception {
    long limitNanos = Long.parseLong(args[0]) * 1_000_000L;
    Pattern[] patterns = new Pattern[args.length - 1];
    for (int i = 1; i < args.length; i++) {
      patterns[i - 1] = Pattern.compile(Files.readString(Path.of(args[i]), StandardCharsets.UTF_8));
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String input;
    while ((input = in.readLine()) != null) {
      int tab = input.indexOf('\t');
      String name = input.substring(0, tab);
      String line = input.substring(tab + 1);
      for (int p = 0; p < patterns.length; p++) {
        Object[] warmUp = time(patterns[p], line, limitNanos);
        String result = (String) warmUp[0];
        double ms = (double) warmUp[1];
        if (result.equals("match") || result.equals("nomatch")) {
          double[] runs = new double[3];
          for (int run = 0; run < 3; run++) runs[run] = (double) time(patterns[p], line, limitNanos)[1];
          Arrays.sort(runs);
          ms = runs[1];
        }
        System.out.println(name + "\t" + p + "\t" + result + "\t" + String.format("%.1f", ms));
      }
    }
  }
}
