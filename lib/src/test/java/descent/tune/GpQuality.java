package descent.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures the gp sampler (not a test; run its main): the median regret over 10 seeds on Branin (30 trials) and
 * Hartmann-6 (60 trials), and the sampler's time per trial with 100 completed trials in 6-D.
 */
public final class GpQuality {

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "all";
        if (what.equals("all") || what.equals("branin")) {
            regrets("Branin@30", GpSamplerTest.BRANIN_SPACE, GpSamplerTest::branin, GpSamplerTest.BRANIN_MIN, 30);
        }
        if (what.equals("all") || what.equals("hartmann")) {
            regrets("Hartmann6@60", GpSamplerTest.HARTMANN_SPACE, GpSamplerTest::hartmann6, GpSamplerTest.HARTMANN_MIN,
                    60);
        }
        if (what.equals("all") || what.equals("speed")) {
            speed();
        }
    }

    private static void regrets(String name, Space space, Study.Objective f, double optimum, int n) {
        double[] r = new double[10];
        long t0 = System.nanoTime();
        for (int seed = 0; seed < 10; seed++) {
            r[seed] = Study.minimize(space, new GpSampler(seed)).optimize(f, n).best().value() - optimum;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s regrets %s%n  median %.3g  (%.1f s)%n", name, Arrays.toString(r), median(r), secs);
    }

    private static void speed() {
        Space space = GpSamplerTest.HARTMANN_SPACE;
        List<Trial> done = Study.minimize(space, Samplers.create("random", 0))
                .optimize(GpSamplerTest::hartmann6, 100).trialList();
        GpSampler gp = new GpSampler(0);
        for (int k = 0; k < 5; k++) {
            gp.sample(space, done, true);
        }
        double[] ms = new double[20];
        for (int k = 0; k < ms.length; k++) {
            long t0 = System.nanoTime();
            gp.sample(space, done, true);
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("sample() with 100 random completed trials in 6-D: median %.1f ms, max %.1f ms%n", median(ms),
                Arrays.stream(ms).max().getAsDouble());
        List<Double> perTrial = new ArrayList<>();
        GpSampler inner = new GpSampler(1);
        Sampler timed = new Sampler() {
            @Override
            public Map<String, Object> sample(Space s, List<Trial> trials, boolean minimize) {
                long t0 = System.nanoTime();
                Map<String, Object> p = inner.sample(s, trials, minimize);
                perTrial.add((System.nanoTime() - t0) / 1e6);
                return p;
            }

            @Override
            public String name() {
                return "gp (timed)";
            }
        };
        Study.minimize(space, timed).optimize(GpSamplerTest::hartmann6, 100);
        double[] all = perTrial.stream().mapToDouble(Double::doubleValue).toArray();
        double[] last = Arrays.copyOfRange(all, 80, 100);
        System.out.printf("a 100-trial gp study on Hartmann-6: sample() median %.1f ms, median of trials 80-99 %.1f ms, "
                + "max %.1f ms%n", median(all), median(last), Arrays.stream(all).max().getAsDouble());
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }
}
