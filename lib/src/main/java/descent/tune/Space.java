package descent.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A search space: named dimensions, each a range of real numbers (linear or log scale), of integers (linear or log),
 * or a list of categories.
 *
 * <pre>{@code
 * Space space = Space.builder()
 *     .logUniform("lr", 1e-4, 1e-1)
 *     .uniform("momentum", 0.5, 0.99)
 *     .integer("hidden", 16, 128)
 *     .categorical("optimizer", "sgd", "adam")
 *     .build();
 * }</pre>
 */
public final class Space {

    /** What kind of values a dimension holds. */
    public enum Kind { UNIFORM, LOG_UNIFORM, INTEGER, LOG_INTEGER, CATEGORICAL }

    /**
     * One dimension: its name, kind, bounds (inclusive; for categoricals 0 and the number of categories - 1) and
     * categories (empty unless categorical).
     */
    public record Dimension(String name, Kind kind, double lo, double hi, List<String> categories) {

        /** Whether the dimension is searched on a log scale. */
        public boolean isLog() {
            return kind == Kind.LOG_UNIFORM || kind == Kind.LOG_INTEGER;
        }

        /** Whether its values are integers (integer kinds; categoricals are category indices). */
        public boolean isDiscrete() {
            return kind != Kind.UNIFORM && kind != Kind.LOG_UNIFORM;
        }

        /**
         * The value at position {@code u} in [0, 1] of the dimension (on a log scale for log kinds; integers rounded;
         * a categorical's index): {@code Integer}, {@code Double} or {@code String}.
         */
        public Object at(double u) {
            double t = Math.min(1, Math.max(0, u));
            switch (kind) {
                case UNIFORM:
                    return lo + t * (hi - lo);
                case LOG_UNIFORM:
                    return t == 0 ? lo : t == 1 ? hi : Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo)));
                case INTEGER:
                    return (int) Math.min(hi, Math.floor(lo + t * (hi - lo + 1)));
                case LOG_INTEGER:
                    double l = Math.log(lo - 0.5);
                    double h = Math.log(hi + 0.5);
                    return (int) Math.max(lo, Math.min(hi, Math.round(Math.exp(l + t * (h - l)))));
                default:
                    return categories.get((int) Math.min(categories.size() - 1, Math.floor(t * categories.size())));
            }
        }

        /**
         * Where {@code value} lies in [0, 1] on this dimension's scale: the inverse of {@link #at}. A discrete value
         * (integer or category) covers a cell of [0, 1]; its position is the cell's middle, so {@code at(unit(v))}
         * gives back {@code v}. A value this dimension cannot hold is refused naming the dimension.
         */
        public double unit(Object value) {
            switch (kind) {
                case UNIFORM:
                case LOG_UNIFORM: {
                    if (!(value instanceof Number n) || value instanceof Integer) {
                        throw new IllegalArgumentException("'" + name + "' holds real numbers, got " + value);
                    }
                    double v = n.doubleValue();
                    if (!(v >= lo && v <= hi)) {
                        throw new IllegalArgumentException("'" + name + "': " + v + " is outside [" + lo + ", " + hi + "]");
                    }
                    return kind == Kind.UNIFORM ? (v - lo) / (hi - lo)
                            : (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
                }
                case INTEGER:
                case LOG_INTEGER: {
                    if (!(value instanceof Integer i)) {
                        throw new IllegalArgumentException("'" + name + "' holds integers, got " + value);
                    }
                    if (i < lo || i > hi) {
                        throw new IllegalArgumentException("'" + name + "': " + i + " is outside [" + (int) lo + ", "
                                + (int) hi + "]");
                    }
                    if (kind == Kind.INTEGER) {
                        return (i - lo + 0.5) / (hi - lo + 1);
                    }
                    double l = Math.log(lo - 0.5);
                    double h = Math.log(hi + 0.5);
                    return ((Math.log(i - 0.5) + Math.log(i + 0.5)) / 2 - l) / (h - l);
                }
                default: {
                    int k = categories.indexOf(value);
                    if (k < 0) {
                        throw new IllegalArgumentException("'" + name + "' has the categories " + categories + ", got "
                                + value);
                    }
                    return (k + 0.5) / categories.size();
                }
            }
        }
    }

    private final List<Dimension> dimensions;

    private Space(List<Dimension> dimensions) {
        this.dimensions = Collections.unmodifiableList(new ArrayList<>(dimensions));
    }

    /** Starts a space; add dimensions, then {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The dimensions, in the order they were added. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** The dimension {@code name}. */
    public Dimension dimension(String name) {
        for (Dimension d : dimensions) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no dimension '" + name + "'; the space has " + names());
    }

    /** The dimension names, in order. */
    public List<String> names() {
        return dimensions.stream().map(Dimension::name).toList();
    }

    /** The point at {@code u} (one value in [0, 1] per dimension), as a name → value map in dimension order. */
    public Map<String, Object> at(double[] u) {
        if (u.length != dimensions.size()) {
            throw new IllegalArgumentException("the space has " + dimensions.size() + " dimensions, got " + u.length
                    + " coordinates");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        for (int i = 0; i < u.length; i++) {
            p.put(dimensions.get(i).name(), dimensions.get(i).at(u[i]));
        }
        return Collections.unmodifiableMap(p);
    }

    /**
     * A point drawn uniformly on every dimension's scale: one {@code rng.nextDouble()} per dimension, in order, as a
     * position in [0, 1] ({@link #randomUnit}); the random sampler's draw, and the start-up draw of the others.
     */
    public Map<String, Object> random(java.util.SplittableRandom rng) {
        return at(randomUnit(rng));
    }

    /** One {@code rng.nextDouble()} per dimension, in order: a uniform position in the unit cube. */
    public double[] randomUnit(java.util.SplittableRandom rng) {
        double[] u = new double[dimensions.size()];
        for (int i = 0; i < u.length; i++) {
            u[i] = rng.nextDouble();
        }
        return u;
    }

    /** The inverse of {@link #at(double[])}: every dimension's value of {@code params} as a position in [0, 1]. */
    public double[] unit(Map<String, Object> params) {
        double[] u = new double[dimensions.size()];
        for (int i = 0; i < u.length; i++) {
            Dimension d = dimensions.get(i);
            Object v = params.get(d.name());
            if (v == null) {
                throw new IllegalArgumentException("no value for '" + d.name() + "' in " + params);
            }
            u[i] = d.unit(v);
        }
        return u;
    }

    /**
     * Adds to {@code table} one column per dimension, named as it: text for a categorical, integers for a discrete
     * one, doubles otherwise (the columns of {@link Study#trials()} and {@link Pbt#table()}).
     */
    void addColumns(Table table) {
        for (Dimension d : dimensions) {
            table.addColumns(d.kind() == Kind.CATEGORICAL ? StringColumn.create(d.name())
                    : d.isDiscrete() ? IntColumn.create(d.name()) : DoubleColumn.create(d.name()));
        }
    }

    /** Appends the value of every dimension in {@code params} to its column of {@code table} (see addColumns). */
    void appendValues(Table table, Map<String, Object> params) {
        for (Dimension d : dimensions) {
            Object v = params.get(d.name());
            if (v instanceof String s) {
                table.stringColumn(d.name()).append(s);
            } else if (v instanceof Integer i) {
                table.intColumn(d.name()).append(i);
            } else {
                table.doubleColumn(d.name()).append((Double) v);
            }
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Space[");
        for (Dimension d : dimensions) {
            sb.append(sb.length() > 6 ? ", " : "").append(d.name()).append(": ").append(d.kind().name().toLowerCase())
                    .append(d.kind() == Kind.CATEGORICAL ? " " + d.categories() : " [" + d.lo() + ", " + d.hi() + "]");
        }
        return sb.append("]").toString();
    }

    /** Fluent construction; every bad bound or name is refused with a message naming it. */
    public static final class Builder {
        private final List<Dimension> dims = new ArrayList<>();

        private Builder() {
        }

        /** Real numbers in [lo, hi], uniform. */
        public Builder uniform(String name, double lo, double hi) {
            return add(name, Kind.UNIFORM, lo, hi, List.of());
        }

        /** Real numbers in [lo, hi], uniform in log(x); needs 0 &lt; lo &lt; hi. */
        public Builder logUniform(String name, double lo, double hi) {
            positive(name, lo);
            return add(name, Kind.LOG_UNIFORM, lo, hi, List.of());
        }

        /** Integers lo, lo + 1, ..., hi. */
        public Builder integer(String name, int lo, int hi) {
            return add(name, Kind.INTEGER, lo, hi, List.of());
        }

        /** Integers lo..hi, uniform in log(x); needs 0 &lt; lo &lt; hi. */
        public Builder logInteger(String name, int lo, int hi) {
            positive(name, lo);
            return add(name, Kind.LOG_INTEGER, lo, hi, List.of());
        }

        /** One of the given categories (at least one; no duplicates). */
        public Builder categorical(String name, String... categories) {
            if (categories == null || categories.length == 0) {
                throw new IllegalArgumentException("categorical '" + name + "': needs at least one category");
            }
            List<String> c = List.of(categories);
            if (c.stream().distinct().count() != c.size()) {
                throw new IllegalArgumentException("categorical '" + name + "': duplicate categories in " + c);
            }
            return add(name, Kind.CATEGORICAL, 0, c.size() - 1, c);
        }

        private static void positive(String name, double lo) {
            if (!(lo > 0)) {
                throw new IllegalArgumentException("'" + name + "': a log scale needs lo > 0, got " + lo);
            }
        }

        private Builder add(String name, Kind kind, double lo, double hi, List<String> categories) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a dimension needs a name");
            }
            if (dims.stream().anyMatch(d -> d.name().equals(name))) {
                throw new IllegalArgumentException("duplicate dimension name '" + name + "'");
            }
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
                throw new IllegalArgumentException("'" + name + "': bounds must be finite, got [" + lo + ", " + hi + "]");
            }
            if (kind != Kind.CATEGORICAL && !(lo < hi)) {
                throw new IllegalArgumentException("'" + name + "': needs lo < hi, got [" + lo + ", " + hi + "]");
            }
            dims.add(new Dimension(name, kind, lo, hi, categories));
            return this;
        }

        public Space build() {
            if (dims.isEmpty()) {
                throw new IllegalArgumentException("the search space is empty: add at least one dimension");
            }
            return new Space(dims);
        }
    }
}
