package descent.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExerciseTest {

    /** What {@code body} prints on System.out. */
    static String printed(Runnable body) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static double unfinished() {
        throw new UnsupportedOperationException("write this method");
    }

    @Test
    void allExpectationsHoldingPrintsCorrect() {
        double lr = 0.1;
        String out = printed(() -> Exercise.named("08.2")
                .expect("lr", lr, v -> v > 1e-3 && v < 0.5, "try a few between 0.001 and 1")
                .expectCall("twice lr", () -> 2 * lr, v -> v < 1, "double it")
                .expect("lr is positive", lr > 0, "a step goes downhill")
                .verify());
        assertEquals("08.2 correct" + System.lineSeparator(), out);
    }

    @Test
    void notYetListsEveryExpectationNotMetWithTheLearnersValueAndHintOnly() {
        Exercise.NotYet e = assertThrows(Exercise.NotYet.class, () -> Exercise.named("08.2")
                .expect("lr", 2.0, v -> v < 0.5, "too large diverges")
                .expect("epochs", 10, v -> v == 10, "unused: this one holds")
                .expect("the loss goes down", false, "check the gradient's sign")
                .verify());
        assertEquals("08.2 not yet:\n"
                + "  - lr = 2.0 is not right yet. Hint: too large diverges\n"
                + "  - the loss goes down: not yet. Hint: check the gradient's sign", e.getMessage());
    }

    @Test
    void anExceptionFromTheLearnersCodeIsNotYetNamingIt() {
        Exercise.NotYet e = assertThrows(Exercise.NotYet.class, () -> Exercise.named("03.1")
                .expectCall("f(2)", ExerciseTest::unfinished, v -> v == 4, "square it")
                .verify());
        assertEquals("03.1 not yet:\n  - f(2): your code threw java.lang.UnsupportedOperationException: "
                + "write this method. Hint: square it", e.getMessage());
    }

    @Test
    void aNullTheStarterLeftIsNotYetNotANullPointerException() {
        Double lr = null;
        Exercise.NotYet e = assertThrows(Exercise.NotYet.class, () -> Exercise.named("03.1")
                .expect("lr", lr, v -> v > 0, "pick a learning rate")
                .verify());
        assertEquals("03.1 not yet:\n  - lr = null is not right yet. Hint: pick a learning rate", e.getMessage());
    }

    @Test
    void valuesAreShownOnOneLineArraysWithTheirElementsLongOnesCut() {
        assertEquals("[1.0, 2.5]", Exercise.show(new double[] {1.0, 2.5}));
        assertEquals("[[1, 2], [3]]", Exercise.show(new int[][] {{1, 2}, {3}}));
        assertEquals("a b", Exercise.show("a\n  b\n"));
        String shown = Exercise.show("x".repeat(500));
        assertEquals(Exercise.MAX_VALUE_CHARS, shown.length());
        assertTrue(shown.endsWith("..."));
    }

    @Test
    void nothingIsPrintedWhenNotYet() {
        String out = printed(() -> assertThrows(Exercise.NotYet.class,
                () -> Exercise.named("01.1").expect("x", 1, v -> v == 2, "h").verify()));
        assertFalse(out.contains("correct"), out);
    }

    @Test
    void badUseIsRefusedNamingTheProblem() {
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class, () -> Exercise.named("08 2"));
        assertEquals("Exercise: id must be one word such as \"08.2\", got \"08 2\"", id.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Exercise.named(""));
        assertThrows(IllegalArgumentException.class, () -> Exercise.named(null));
        IllegalArgumentException hint = assertThrows(IllegalArgumentException.class,
                () -> Exercise.named("08.2").expect("lr", 0.1, v -> v > 0, " "));
        assertEquals("Exercise 08.2: hint must be a non-blank text, got \" \"", hint.getMessage());
        IllegalArgumentException what = assertThrows(IllegalArgumentException.class,
                () -> Exercise.named("08.2").expect(null, true, "h"));
        assertEquals("Exercise 08.2: what must be a non-blank text, got null", what.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Exercise.named("08.2").expect("lr", 0.1, null, "h"));
        assertThrows(IllegalArgumentException.class,
                () -> Exercise.named("08.2").expectCall("lr", null, v -> true, "h"));
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> Exercise.named("08.2").verify());
        assertEquals("Exercise 08.2: nothing to verify; add expect(...) before verify()", empty.getMessage());
    }
}
