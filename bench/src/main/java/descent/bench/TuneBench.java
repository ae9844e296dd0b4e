package descent.bench;

import descent.tune.TestFunctions;
import descent.tune.TestFunctions.Problem;
import descent.tune.Sampler;
import descent.tune.Samplers;
import descent.tune.Space;
import descent.tune.Study;
import descent.tune.Trial;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Descent's samplers against their Optuna 3.1 twins on the {@link TestFunctions} (branin 30 trials, hartmann6 60,
 * mixed 40): for every sampler of {@link Samplers#names()} but grid and seeds 0..9, minimizes each function with its
 * budget and takes the regret (best value - minimum); reads Optuna's regrets from {@code tools/tune/optuna_results.tsv}
 * (written by {@code tools/tune/optuna_compare.py}) and prints one table, function by sampler: Descent's median
 * regret, its Optuna twin's, their ratio and the target's verdict. It also writes the table (markdown) to a file.
 *
 * <pre>
 *   java descent.bench.TuneBench [--samplers a,b] [--optuna TSV] [--out FILE]
 *   java descent.bench.TuneBench --overhead
 * </pre>
 *
 * Targets: gp's median regret at most 0.5 times multivariate TPE's; tpe, cmaes and random at most 1.5 times TPE
 * (univariate), CmaEs and Random; sobol (twin: scrambled Sobol QMC) and any other sampler are reported without one.
 *
 * <p>{@code --overhead} times gp's {@code sample()} with 100 completed trials of hartmann6 (6-D, drawn at random):
 * the median of 20 calls after 5 warm-up calls, against the 50 ms target; and, for a whole 100-trial gp study on
 * hartmann6, the median time of its sample() calls.
 */
public final class TuneBench {

    static final int SEEDS = 10;
    static final List<String> OPTIONS = List.of("--samplers", "--optuna", "--out", "--overhead");

    /** A Descent sampler's Optuna twin, and the ratio of median regrets it must stay under (NaN: no target). */
    record Twin(String optuna, double target) {
    }

    static final Map<String, Twin> TWINS = Map.of(
            "gp", new Twin("TPE-multivariate", 0.5),
            "tpe", new Twin("TPE", 1.5),
            "cmaes", new Twin("CmaEs", 1.5),
            "random", new Twin("Random", 1.5),
            "sobol", new Twin("QMC-sobol", Double.NaN));

    /** One line of the table; the Optuna side is NaN (and the twin null) where there is none. */
    record Row(String function, String sampler, double median, String twin, double twinMedian, double target) {

        double ratio() {
            return median / twinMedian;
        }

        String verdict() {
            if (twin == null || Double.isNaN(target)) {
                return "no target";
            }
            if (Double.isNaN(twinMedian)) {
                return "no Optuna result";
            }
            return (ratio() <= target ? "PASS" : "FAIL") + " (<= " + target + ")";
        }
    }

    private TuneBench() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = parse(args);
        PrintStream out = System.out;
        if (opt.containsKey("--overhead")) {
            overhead(out, "gp");
            return;
        }
        List<String> samplers = opt.containsKey("--samplers") ? Arrays.asList(opt.get("--samplers").split(","))
                : Samplers.names().stream().filter(n -> !n.equals("grid")).toList();
        for (String s : samplers) {
            if (!Samplers.names().contains(s) || s.equals("grid")) {
                throw new IllegalArgumentException("--samplers: unknown sampler '" + s + "'; valid names are "
                        + Samplers.names().stream().filter(n -> !n.equals("grid")).toList());
            }
        }
        Path tsv = Path.of(opt.getOrDefault("--optuna", "tools/tune/optuna_results.tsv"));
        Map<String, List<Double>> optuna = Files.exists(tsv) ? readOptuna(tsv) : Map.of();
        if (optuna.isEmpty()) {
            out.println("no Optuna results at " + tsv + " (run /usr/bin/python3 tools/tune/optuna_compare.py)");
        }
        List<Row> rows = compare(samplers, SEEDS, optuna, out);
        String table = markdown(rows);
        out.println();
        out.println("median regret (best - minimum) over seeds 0.." + (SEEDS - 1) + "; ratio = Descent / Optuna");
        out.print(table);
        Path file = Path.of(opt.getOrDefault("--out", "bench/target/tune_compare.md"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, table);
        out.println("written to " + file);
    }

    /** The best value found by {@code sampler} (seeded with {@code seed}) within the budget, minus the minimum. */
    static double regret(Problem problem, String sampler, long seed) {
        Study study = Study.minimize(problem.space(), Samplers.create(sampler, seed))
                .optimize(problem.objective(), problem.budget());
        return study.best().value() - problem.optimum();
    }

    /** The table's rows: every function, every sampler, median regret over seeds 0..seeds-1. */
    static List<Row> compare(List<String> samplers, int seeds, Map<String, List<Double>> optuna, PrintStream log) {
        List<Row> rows = new ArrayList<>();
        for (Problem p : TestFunctions.problems()) {
            for (String s : samplers) {
                long t0 = System.nanoTime();
                double[] r = new double[seeds];
                for (int seed = 0; seed < seeds; seed++) {
                    r[seed] = regret(p, s, seed);
                }
                log.printf(Locale.ROOT, "%-10s %-10s %d seeds in %.1f s%n", p.name(), s, seeds,
                        (System.nanoTime() - t0) / 1e9);
                Twin twin = TWINS.get(s);
                List<Double> theirs = twin == null ? null : optuna.get(p.name() + "\t" + twin.optuna());
                rows.add(new Row(p.name(), s, median(r), twin == null ? null : twin.optuna(),
                        theirs == null ? Double.NaN : median(theirs.stream().mapToDouble(Double::doubleValue).toArray()),
                        twin == null ? Double.NaN : twin.target()));
            }
        }
        return rows;
    }

    /** Optuna's regrets by "function TAB sampler", from the TSV (function, sampler, seed, best, regret). */
    static Map<String, List<Double>> readOptuna(Path tsv) throws IOException {
        List<String> lines = Files.readAllLines(tsv);
        List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split("\t"));
        int f = header.indexOf("function");
        int s = header.indexOf("sampler");
        int r = header.indexOf("regret");
        if (f < 0 || s < 0 || r < 0) {
            throw new IllegalArgumentException(tsv + ": needs the columns function, sampler and regret, got " + header);
        }
        Map<String, List<Double>> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                String[] c = line.split("\t");
                out.computeIfAbsent(c[f] + "\t" + c[s], k -> new ArrayList<>()).add(Double.parseDouble(c[r]));
            }
        }
        return out;
    }

    /** The rows as a markdown table. */
    static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder(
                "| function | sampler | Descent median regret | Optuna twin | Optuna median regret | ratio | target |\n"
                + "|---|---|---:|---|---:|---:|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.4g | %s | %s | %s | %s |%n", r.function(),
                    r.sampler(), r.median(), r.twin() == null ? "-" : r.twin(),
                    Double.isNaN(r.twinMedian()) ? "-" : String.format(Locale.ROOT, "%.4g", r.twinMedian()),
                    Double.isNaN(r.twinMedian()) ? "-" : String.format(Locale.ROOT, "%.3f", r.ratio()), r.verdict()));
        }
        return sb.toString();
    }

    /** The time per sample() call of sampler {@code name} (gp) in 6-D with 100 completed trials, against 50 ms. */
    static void overhead(PrintStream out, String name) {
        if (!Samplers.names().contains(name)) {
            out.println(name + " not available (Samplers.names() = " + Samplers.names() + ")");
            return;
        }
        Problem h6 = TestFunctions.problem("hartmann6");
        List<Trial> done = Study.minimize(h6.space(), Samplers.create("random", 0))
                .optimize(h6.objective(), 100).trialList();
        Sampler gp = Samplers.create(name, 0);
        for (int k = 0; k < 5; k++) {
            gp.sample(h6.space(), done, true);
        }
        double[] ms = new double[20];
        for (int k = 0; k < ms.length; k++) {
            long t0 = System.nanoTime();
            gp.sample(h6.space(), done, true);
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        double med = median(ms);
        out.printf(Locale.ROOT, "%s sample() with 100 completed trials in 6-D: median %.1f ms over %d calls "
                + "(target <= 50 ms): %s%n", name, med, ms.length, med <= 50 ? "PASS" : "FAIL");

        List<Double> perTrial = new ArrayList<>();
        Sampler timed = new Sampler() {
            private final Sampler inner = Samplers.create(name, 1);

            @Override
            public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
                long t0 = System.nanoTime();
                Map<String, Object> p = inner.sample(space, trials, minimize);
                perTrial.add((System.nanoTime() - t0) / 1e6);
                return p;
            }

            @Override
            public String name() {
                return name + " (timed)";
            }
        };
        Study.minimize(h6.space(), timed).optimize(h6.objective(), 100);
        double[] all = perTrial.stream().mapToDouble(Double::doubleValue).toArray();
        out.printf(Locale.ROOT, "a whole 100-trial %s study on hartmann6: sample() median %.1f ms, last %.1f ms, "
                + "max %.1f ms%n", name, median(all), all[all.length - 1], Arrays.stream(all).max().orElse(0));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!OPTIONS.contains(a)) {
                throw new IllegalArgumentException("unknown option '" + a + "'; valid options are " + OPTIONS);
            }
            if (a.equals("--overhead")) {
                opt.put(a, "");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                opt.put(a, args[++i]);
            }
        }
        return opt;
    }
}
