package descent.tune;

import java.util.List;

/**
 * Decides whether a running trial should stop early, judging by what it and the other trials reported (see
 * {@link Pruners}). A study asks its pruner each time an objective calls {@link Trial#shouldPrune()}. A pruner may
 * remember what it judged (successive halving records each trial's rung values): give each study its own.
 */
public interface Pruner {

    /**
     * Whether {@code trial} (RUNNING, with at least one report) should stop now. {@code trials} are all the study's
     * trials in order, {@code trial} and other RUNNING ones included; {@code minimize} says whether smaller values
     * are better. The study calls this from one thread at a time.
     */
    boolean prune(Trial trial, List<Trial> trials, boolean minimize);

    /** The registry name, e.g. {@code "median"}. */
    String name();
}
