package descent.tune;

import java.util.Arrays;
import java.util.List;

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
        GpSampler sampler = new GpSampler(1);
        Study study = Study.minimize(GpSamplerTest.HARTMANN_SPACE, sampler).optimize(GpSamplerTest::hartmann6, 100);
        List<Trial> trials = study.trialList();
        double[] ms = new double[30];
        for (int k = 0; k < ms.length; k++) {
            long t0 = System.nanoTime();
            sampler.sample(GpSamplerTest.HARTMANN_SPACE, trials, true);
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("6-D, 100 completed trials: sample() median %.1f ms, all %s%n", median(ms),
                Arrays.toString(Arrays.stream(ms).map(v -> Math.round(v)).toArray()));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }
}
