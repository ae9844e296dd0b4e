package descent.bench;

import descent.nn.Backend;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The machine's attainable FP32 peak: times {@code C = A B} for square float matrices (ND4J's gemm, OpenBLAS here)
 * and reports the best GFLOP/s ({@code 2 n^3} per product) over repetitions, per size. The largest sizes come
 * closest to the hardware's peak (cores x clock x FMA lanes x 2); that best value is the yardstick the speedrun's
 * achieved GFLOP/s is compared with.
 *
 * <pre>
 *   ./descent bench gemm [--threads T] [--sizes 256,512,1024,2048] [--seconds S]
 * </pre>
 * The last line is JSON: {@code threads, gflop_per_s} (per size) and {@code peak_gflop_per_s} (the best).
 */
public final class GemmBench {

    private GemmBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = 2;
        int[] sizes = {256, 512, 1024, 2048};
        double seconds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--sizes" -> sizes = java.util.Arrays.stream(value(args, ++i).split(","))
                        .mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; valid options: --threads, --sizes, --seconds");
            }
        }
        Backend.setThreads(threads);
        System.out.println("backend: " + Backend.describe());
        Map<String, Object> per = new LinkedHashMap<>();
        double peak = 0;
        for (int n : sizes) {
            double g = Backend.sgemmGflops(n, seconds);
            per.put(String.valueOf(n), Math.round(g * 10) / 10.0);
            peak = Math.max(peak, g);
            System.out.printf(Locale.ROOT, "sgemm %d x %d x %d: %.1f GFLOP/s (best of %.0f s)%n", n, n, n, g, seconds);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("threads", threads);
        result.put("gflop_per_s", per);
        result.put("peak_gflop_per_s", Math.round(peak * 10) / 10.0);
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** The best over the sizes the speedrun's convolutions resemble most, for a quick reference in other benches. */
    static double peak(List<Integer> sizes, double seconds) {
        double p = 0;
        for (int n : sizes) {
            p = Math.max(p, Backend.sgemmGflops(n, seconds));
        }
        return p;
    }
}
