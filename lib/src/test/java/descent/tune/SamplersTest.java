package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every registered sampler: in bounds, repeatable; Sobol's balance; regularized evolution against random search. */
class SamplersTest {

    /** A deterministic objective over {@link StudyTest#space()} that fails now and then. */
    private static double objective(Trial t) {
        if (t.number() % 9 == 4) {
            throw new IllegalStateException("diverged");
        }
        return Math.pow(Math.log10(t.getDouble("lr")) + 2, 2) + Math.abs(t.getDouble("momentum") - 0.9)
                + Math.abs(t.getInt("hidden") - 64) / 64.0 + (t.getString("optimizer").equals("adam") ? 0 : 0.5);
    }

    private static List<Map<String, Object>> run(String name, long seed) {
        return Study.minimize(StudyTest.space(), Samplers.create(name, seed)).optimize(SamplersTest::objective, 60)
                .trialList().stream().map(Trial::params).toList();
    }

    @Test
    void everySamplerStaysInBoundsAndRepeatsWithItsSeed() {
        Space s = StudyTest.space();
        for (String name : Samplers.names()) {
            List<Map<String, Object>> a = run(name, 11);
            assertEquals(a, run(name, 11), name + ": the same seed, the same trials");
            for (Map<String, Object> p : a) {
                double[] u = s.unit(p); // refuses a value of the wrong type or out of bounds, naming it
                assertTrue(Arrays.stream(u).allMatch(x -> x >= 0 && x <= 1), name + ": " + p);
            }
            if (!name.equals("grid")) {
                assertNotEquals(a, run(name, 12), name + ": another seed, other trials");
            }
        }
    }

    private static Space unitCube(int d) {
        Space.Builder b = Space.builder();
        for (int i = 0; i < d; i++) {
            b.uniform("u" + i, 0, 1);
        }
        return b.build();
    }

    @Test
    void sobolPointsBalanceEveryAxisForEverySeed() {
        Space s = unitCube(8);
        for (long seed : new long[] {0, 1, 2}) {
            Sampler sobol = Samplers.create("sobol", seed);
            List<double[]> points = new ArrayList<>();
            for (int k = 0; k < 64; k++) {
                points.add(s.unit(sobol.sample(s, List.of(), true)));
            }
            // the first 2^m points: exactly 2^(m - j) in each of the 2^j equal intervals of every axis, j <= m
            for (int m = 1; m <= 6; m++) {
                for (int j = 0; j <= m; j++) {
                    for (int axis = 0; axis < 8; axis++) {
                        int[] count = new int[1 << j];
                        for (double[] p : points.subList(0, 1 << m)) {
                            count[(int) (p[axis] * (1 << j))]++;
                        }
                        for (int c : count) {
                            assertEquals(1 << (m - j), c, "seed " + seed + ", first " + (1 << m) + " points, axis "
                                    + axis + ", " + (1 << j) + " intervals: " + Arrays.toString(count));
                        }
                    }
                }
            }
            // the first two axes form a (0, m, 2)-net: 16 points, one in each 1/4 x 1/4 square
            int[][] squares = new int[4][4];
            for (double[] p : points.subList(0, 16)) {
                squares[(int) (p[0] * 4)][(int) (p[1] * 4)]++;
            }
            for (int[] row : squares) {
                assertEquals("[1, 1, 1, 1]", Arrays.toString(row), "seed " + seed);
            }
        }
        Map<String, Object> first = Samplers.create("sobol", 0).sample(s, List.of(), true);
        assertNotEquals(first, Samplers.create("sobol", 1).sample(s, List.of(), true), "seeds shift the points");
        Sampler used = Samplers.create("sobol", 0);
        used.sample(s, List.of(), true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> used.sample(unitCube(2), List.of(), true));
        assertTrue(e.getMessage().contains("one space"), e.getMessage());
    }

    private static double bestOnABowl(Sampler sampler) {
        Space s = Space.builder().uniform("x", -2, 2).uniform("y", -2, 2).uniform("z", -2, 2)
                .categorical("k", "a", "b", "c").build();
        return Study.minimize(s, sampler).optimize(t -> Math.pow(t.getDouble("x") - 0.5, 2)
                + Math.pow(t.getDouble("y") + 0.7, 2) + Math.pow(t.getDouble("z") - 1.1, 2)
                + (t.getString("k").equals("b") ? 0 : 1), 100).best().value();
    }

    @Test
    void regularizedEvolutionBeatsRandomSearchOnABowl() {
        int wins = 0;
        double[] evolution = new double[20];
        double[] random = new double[20];
        for (int seed = 0; seed < 20; seed++) {
            evolution[seed] = bestOnABowl(Samplers.create("evolution", seed));
            random[seed] = bestOnABowl(Samplers.create("random", seed));
            wins += evolution[seed] < random[seed] ? 1 : 0;
        }
        Arrays.sort(evolution);
        Arrays.sort(random);
        // were the two equally good, evolution would win 10 +- 2.2 of 20
        assertTrue(wins >= 16, "evolution better in " + wins + " of 20");
        assertTrue(evolution[10] < random[10] / 3, "medians: evolution " + evolution[10] + ", random " + random[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EvolutionSampler(1, 0, 3));
        assertTrue(e.getMessage().contains("population"), e.getMessage());
    }
}
