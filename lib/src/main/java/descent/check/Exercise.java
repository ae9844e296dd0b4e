package descent.check;

import descent.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The check cell of a notebook exercise: what a correct answer satisfies, and, when the learner's answer does not
 * satisfy it yet, what is wrong and a hint. A check never shows the answer: it shows the learner's own value and
 * the hint written for it.
 *
 * <pre>{@code
 * Exercise.named("03.2")
 *     .expect("lr", lr, v -> v > 0.05 && v < 0.5, "too small crawls, too large diverges: try a few between 0.01 and 1")
 *     .expectCall("final loss", () -> train(lr).finalLoss(), v -> v < 0.05, "does your loop run all 100 steps?")
 *     .expect("the loss goes down", losses[99] < losses[0], "is the gradient's sign right?")
 *     .verify();       // prints "03.2 correct", or throws Exercise.NotYet listing each expectation not met yet
 * }</pre>
 *
 * <p>Each expectation is judged when it is added: {@code expect} tests a value, {@code expectCall} runs the
 * learner's code and counts an exception it throws (an unfinished method, a null) as "not yet" rather than letting it
 * end the cell. {@link #verify()} then prints {@code "<id> correct"} when all hold, or throws {@link NotYet} whose
 * message lists, for every one that does not, what and the learner's value, and its hint:
 * <pre>
 *   03.2 not yet:
 *     - lr = 2.0 is not right yet. Hint: too small crawls, too large diverges: try a few between 0.01 and 1
 *     - final loss: your code threw java.lang.UnsupportedOperationException: write train. Hint: does your loop ...
 * </pre>
 * The notebook harness ({@code notebooks/harness/nbrun.py}) reads both: a check cell after a solution must print
 * {@code "<id> correct"}; one after an untouched starter must throw {@code NotYet}.
 */
public final class Exercise {

    /** A learner's answer that does not meet its exercise's check yet; the message says what and gives the hints. */
    public static final class NotYet extends RuntimeException {
        NotYet(String message) {
            super(message);
        }
    }

    /** The longest value shown in a message; longer ones are cut with "...". */
    static final int MAX_VALUE_CHARS = 120;

    private final String id;
    private final List<String> problems = new ArrayList<>();
    private int expectations;

    private Exercise(String id) {
        this.id = id;
    }

    /** A check for the exercise {@code id}, a word such as {@code "08.2"} (notebook number, exercise number). */
    public static Exercise named(String id) {
        Checks.notNull("Exercise", "id", id);
        if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("Exercise: id must be one word such as \"08.2\", got \"" + id + "\"");
        }
        return new Exercise(id);
    }

    /**
     * Expects {@code ok} to hold for {@code value}. When it does not (or {@code ok} throws, say on a null), the
     * message shows "{@code what} = value is not right yet" and the hint.
     */
    public <T> Exercise expect(String what, T value, Predicate<? super T> ok, String hint) {
        require(what, hint);
        Checks.notNull("Exercise " + id, "ok", ok);
        return record(holds(ok, value), what + " = " + show(value) + " is not right yet. Hint: " + hint);
    }

    /**
     * Expects {@code ok} to hold for what {@code compute} returns; a RuntimeException or StackOverflowError thrown
     * by {@code compute} is "not yet" (the message names it), not the end of the cell.
     */
    public <T> Exercise expectCall(String what, Supplier<? extends T> compute, Predicate<? super T> ok, String hint) {
        require(what, hint);
        Checks.notNull("Exercise " + id, "compute", compute);
        Checks.notNull("Exercise " + id, "ok", ok);
        T value;
        try {
            value = compute.get();
        } catch (RuntimeException | StackOverflowError e) {
            return record(false, what + ": your code threw " + e + ". Hint: " + hint);
        }
        return expect(what, value, ok, hint);
    }

    /** Expects the claim {@code what} to hold; the message shows "{@code what}: not yet" and the hint. */
    public Exercise expect(String what, boolean holds, String hint) {
        require(what, hint);
        return record(holds, what + ": not yet. Hint: " + hint);
    }

    /**
     * Prints {@code "<id> correct"} if every expectation holds.
     *
     * @throws NotYet listing each expectation that does not hold yet, with its hint
     * @throws IllegalStateException if nothing was expected (a check must check something)
     */
    public void verify() {
        if (expectations == 0) {
            throw new IllegalStateException("Exercise " + id + ": nothing to verify; add expect(...) before verify()");
        }
        if (!problems.isEmpty()) {
            throw new NotYet(id + " not yet:\n  - " + String.join("\n  - ", problems));
        }
        System.out.println(id + " correct");
    }

    private void require(String what, String hint) {
        for (String[] arg : new String[][] {{"what", what}, {"hint", hint}}) {
            if (arg[1] == null || arg[1].isBlank()) {
                throw new IllegalArgumentException("Exercise " + id + ": " + arg[0] + " must be a non-blank text, got "
                        + (arg[1] == null ? "null" : "\"" + arg[1] + "\""));
            }
        }
    }

    private Exercise record(boolean holds, String problem) {
        expectations++;
        if (!holds) {
            problems.add(problem);
        }
        return this;
    }

    private static <T> boolean holds(Predicate<? super T> ok, T value) {
        try {
            return ok.test(value);
        } catch (RuntimeException e) { // e.g. unboxing a null the starter left
            return false;
        }
    }

    /** The value on one line, arrays with their elements, cut to {@link #MAX_VALUE_CHARS}. */
    static String show(Object value) {
        String text = value != null && value.getClass().isArray()
                ? Arrays.deepToString(new Object[] {value}).replaceAll("^\\[|]$", "")
                : String.valueOf(value);
        text = text.strip().replaceAll("\\s+", " ");
        return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }
}
