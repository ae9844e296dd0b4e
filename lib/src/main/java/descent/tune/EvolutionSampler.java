package descent.tune;

import descent.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Regularized evolution (Real, Aggarwal, Huang and Le 2019, "Regularized Evolution for Image Classifier Architecture
 * Search"): tournament selection with aging, on the unit cube of the space.
 *
 * <pre>
 * population  the last P COMPLETE trials (P = 10 by default); older ones have died of age, however good
 *             (RUNNING, FAILED and PRUNED trials are not members)
 * start       while fewer than P trials have completed: a uniformly random point
 * parent      the best of S members drawn at random, with replacement (S = 3 by default)
 * child       the parent's positions ({@link Space#unit}), each dimension mutated with probability 1/d (d dimensions;
 *             one at random if none was picked):
 *               real or integer: u + N(0, 0.1&sup2;), reflected at 0 and 1 into [0, 1]
 *               categorical:     another category, uniformly
 * </pre>
 *
 * <p>Aging (only the youngest P take part) keeps the search moving: a lucky early trial cannot stay a parent for
 * ever, so the population has to keep re-earning its place. State: the random generator.
 */
public final class EvolutionSampler implements Sampler {

    /** Standard deviation of the Gaussian mutation, on the unit scale. */
    public static final double MUTATION_SD = 0.1;

    private final SplittableRandom rng;
    private final int population;
    private final int tournament;

    /** Regularized evolution with a population of 10 and tournaments of 3. */
    public EvolutionSampler(long seed) {
        this(seed, 10, 3);
    }

    /** Regularized evolution with the last {@code population} trials alive and tournaments of {@code tournament}. */
    public EvolutionSampler(long seed, int population, int tournament) {
        this.rng = new SplittableRandom(seed);
        this.population = Checks.atLeastOne("EvolutionSampler", "population", population);
        this.tournament = Checks.atLeastOne("EvolutionSampler", "tournament", tournament);
    }

    @Override
    public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
        List<Trial> complete = trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).toList();
        int d = space.dimensions().size();
        if (complete.size() < population) {
            return space.random(rng);
        }
        List<Trial> alive = complete.subList(complete.size() - population, complete.size());
        Trial parent = null;
        for (int k = 0; k < tournament; k++) {
            Trial t = alive.get(rng.nextInt(population));
            if (parent == null || (minimize ? t.value() < parent.value() : t.value() > parent.value())) {
                parent = t;
            }
        }
        double[] u = space.unit(parent.params());
        List<Integer> mutated = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            if (rng.nextDouble() < 1.0 / d) {
                mutated.add(i);
            }
        }
        if (mutated.isEmpty()) {
            mutated.add(rng.nextInt(d));
        }
        for (int i : mutated) {
            Space.Dimension dim = space.dimensions().get(i);
            if (dim.kind() == Space.Kind.CATEGORICAL) {
                int k = dim.categories().size();
                if (k > 1) {
                    int now = (int) Math.floor(u[i] * k);
                    int next = (now + 1 + rng.nextInt(k - 1)) % k;
                    u[i] = (next + 0.5) / k;
                }
            } else {
                u[i] = reflect(u[i] + MUTATION_SD * rng.nextGaussian());
            }
        }
        return space.at(u);
    }

    /** x folded into [0, 1] by reflection at its ends. */
    static double reflect(double x) {
        double m = Math.abs(x) % 2;
        return m > 1 ? 2 - m : m;
    }

    @Override
    public String name() {
        return "evolution";
    }
}
