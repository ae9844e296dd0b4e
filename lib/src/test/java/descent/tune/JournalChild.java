package descent.tune;

import java.nio.file.Path;

/**
 * The child process of {@link JournalTest#aKilledProcessResumesWhereItStopped}: runs the test's journaled study, whose
 * trial {@code hangAt} sleeps until the parent kills this process.
 */
public final class JournalChild {

    private JournalChild() {
    }

    /** Arguments: the journal, the call log, the trial number that hangs, the number of trials. */
    public static void main(String[] args) {
        Path journal = Path.of(args[0]);
        Path calls = Path.of(args[1]);
        int hangAt = Integer.parseInt(args[2]);
        JournalTest.study().journal(journal).optimize(t -> JournalTest.objective(t, calls, hangAt),
                Integer.parseInt(args[3]));
    }
}
