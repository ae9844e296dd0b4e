package descent;

import java.util.Arrays;
import java.util.Locale;

/**
 * How much work a notebook does, read from the environment variable {@code DESCENT_PROFILE}.
 *
 * <ul>
 *   <li>{@link #SMOKE}: seconds; what CI and {@code ./descent test} run.</li>
 *   <li>{@link #DEFAULT}: minutes; Binder and a laptop (used when the variable is unset).</li>
 *   <li>{@link #FULL}: the real runs whose outputs are committed.</li>
 * </ul>
 *
 * <pre>{@code
 * int epochs = Profile.pick(2, 20, 100);   // smoke, default, full
 * }</pre>
 */
public enum Profile {
    SMOKE, DEFAULT, FULL;

    /** The environment variable that selects the profile. */
    public static final String VARIABLE = "DESCENT_PROFILE";

    /** The profile named by {@code DESCENT_PROFILE} (or the system property {@code descent.profile}); DEFAULT if unset. */
    public static Profile current() {
        String value = System.getProperty("descent.profile", System.getenv(VARIABLE));
        return parse(value == null || value.isBlank() ? "default" : value);
    }

    /** Parses a profile name; an unknown name is refused with the valid ones. */
    public static Profile parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; valid profiles: "
                    + Arrays.toString(Arrays.stream(values()).map(Profile::id).toArray()));
        }
    }

    /** The lower-case name used on the command line and in {@code DESCENT_PROFILE}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Picks the value for the current profile. */
    public static <T> T pick(T smoke, T dflt, T full) {
        return current().choose(smoke, dflt, full);
    }

    /** Picks the value for this profile. */
    public <T> T choose(T smoke, T dflt, T full) {
        return switch (this) {
            case SMOKE -> smoke;
            case DEFAULT -> dflt;
            case FULL -> full;
        };
    }
}
