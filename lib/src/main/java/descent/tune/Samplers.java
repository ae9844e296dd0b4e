package descent.tune;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Samplers by name.
 *
 * <ul>
 *   <li>{@code random}: every dimension independently, uniform on its scale (log dimensions uniform in log x;
 *   integers and categories each equally likely) — Bergstra and Bengio (2012)'s random search.</li>
 *   <li>{@code grid}: the Cartesian product of 5 points per real dimension (0, 1/4, 1/2, 3/4, 1 of its range, on its
 *   scale), every integer when there are at most 5 (else 5 spread over the range) and every category, in order (the
 *   last dimension changes fastest); the study ends when the grid is done.</li>
 *   <li>{@code sobol}: quasi-random, a digitally shifted Sobol sequence ({@link SobolSampler}).</li>
 *   <li>{@code tpe}: the Tree-structured Parzen Estimator, univariate, as Optuna's default ({@link TpeSampler}).</li>
 *   <li>{@code cmaes}: CMA-ES on the real and integer dimensions ({@link CmaEsSampler}).</li>
 *   <li>{@code evolution}: regularized evolution, tournaments among the youngest trials ({@link
 *   EvolutionSampler}).</li>
 *   <li>{@code gp}: Bayesian optimization with a Gaussian process and expected improvement ({@link GpSampler}).</li>
 * </ul>
 */
public final class Samplers {

    private Samplers() {
    }

    /** The names {@link #create} accepts. */
    public static List<String> names() {
        return List.of("cmaes", "evolution", "gp", "grid", "random", "sobol", "tpe");
    }

    /** The sampler {@code name}, seeded where it draws random numbers. */
    public static Sampler create(String name, long seed) {
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "random" -> random(seed);
            case "grid" -> grid();
            case "sobol" -> new SobolSampler(seed);
            case "tpe" -> new TpeSampler(seed);
            case "cmaes" -> new CmaEsSampler(seed);
            case "evolution" -> new EvolutionSampler(seed);
            case "gp" -> new GpSampler(seed);
            default -> throw new IllegalArgumentException("unknown sampler '" + name + "'; valid names are " + names());
        };
    }

    static Sampler random(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Sampler() {
            @Override
            public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
                return space.random(rng);
            }

            @Override
            public String name() {
                return "random";
            }
        };
    }

    static Sampler grid() {
        return new Sampler() {
            private List<List<Object>> axes;
            private int next;

            @Override
            public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
                if (axes == null) {
                    axes = new ArrayList<>();
                    for (Space.Dimension d : space.dimensions()) {
                        axes.add(points(d));
                    }
                }
                long total = 1;
                for (List<Object> a : axes) {
                    total *= a.size();
                }
                if (next >= total) {
                    return null;
                }
                Map<String, Object> p = new java.util.LinkedHashMap<>();
                long rest = next++;
                Object[] values = new Object[axes.size()];
                for (int i = axes.size() - 1; i >= 0; i--) {
                    values[i] = axes.get(i).get((int) (rest % axes.get(i).size()));
                    rest /= axes.get(i).size();
                }
                for (int i = 0; i < values.length; i++) {
                    p.put(space.dimensions().get(i).name(), values[i]);
                }
                return p;
            }

            @Override
            public String name() {
                return "grid";
            }
        };
    }

    /** The grid points of one dimension. */
    static List<Object> points(Space.Dimension d) {
        Set<Object> pts = new LinkedHashSet<>();
        if (d.kind() == Space.Kind.CATEGORICAL) {
            pts.addAll(d.categories());
        } else if (d.isDiscrete() && d.hi() - d.lo() + 1 <= 5) {
            for (int v = (int) d.lo(); v <= d.hi(); v++) {
                pts.add(v);
            }
        } else {
            for (int k = 0; k <= 4; k++) {
                pts.add(d.isDiscrete() ? (Object) gridInt(d, k / 4.0) : d.at(k / 4.0));
            }
        }
        return new ArrayList<>(pts);
    }

    private static int gridInt(Space.Dimension d, double t) {
        if (d.isLog()) {
            return (int) Math.round(Math.exp(Math.log(d.lo()) + t * (Math.log(d.hi()) - Math.log(d.lo()))));
        }
        return (int) Math.round(d.lo() + t * (d.hi() - d.lo()));
    }
}
