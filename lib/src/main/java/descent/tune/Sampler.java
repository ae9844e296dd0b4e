package descent.tune;

import java.util.List;
import java.util.Map;

/** Chooses the next trial's parameters, knowing the trials so far (see {@link Samplers}). */
public interface Sampler {

    /**
     * The parameters of the next trial (a value for every dimension of {@code space}), or null when this sampler has
     * nothing left to propose (a grid that is done). {@code trials} are the study's trials so far in order (RUNNING
     * ones included, e.g. while trials run in parallel); {@code minimize} says whether smaller values are better.
     * The study calls this from one thread at a time.
     */
    Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize);

    /** The registry name, e.g. {@code "random"}. */
    String name();
}
