package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Studies recorded in a journal: restored as they were, resumed after a crash, damaged files named. */
class JournalTest {

    @TempDir
    Path dir;

    static Space space() {
        return Space.builder().uniform("x", -1, 1).integer("width", 1, 8).categorical("act", "relu", "tanh").build();
    }

    static Study study() {
        return Study.minimize(space(), Samplers.create("random", 5));
    }

    static double value(Map<String, Object> p) {
        double x = (Double) p.get("x") - 0.3;
        return x * x + (Integer) p.get("width") / 10.0 + ("tanh".equals(p.get("act")) ? 0.05 : 0);
    }

    /** Logs its call to {@code calls}, reports once, sleeps (a minute for trial {@code hangAt}), returns the value. */
    static double objective(Trial t, Path calls, int hangAt) throws Exception {
        Files.writeString(calls, t.params() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        t.report(0, value(t.params()) + 1);
        Thread.sleep(t.number() == hangAt ? 60_000 : 20);
        return value(t.params());
    }

    @Test
    void aReopenedJournalRestoresEveryTrialAsItWas() throws IOException {
        Path file = dir.resolve("sub/study.jsonl");
        List<Integer> calls = new ArrayList<>();
        Study.Objective objective = t -> {
            calls.add(t.number());
            for (int step = 0; step < 4; step++) {
                t.report(step, value(t.params()) + 1.0 / (step + 1));
                if (t.shouldPrune()) {
                    throw new Trial.Pruned();
                }
            }
            if (t.getString("act").equals("tanh") && t.getInt("width") > 6) {
                throw new IllegalStateException("diverged");
            }
            return t.getInt("width") == 1 ? Double.NaN : value(t.params());
        };
        Study first = study().pruner(Pruners.median(3, 1)).journal(file).optimize(objective, 25);
        assertEquals(25, calls.size());
        for (Trial.State s : Trial.State.values()) {
            if (s != Trial.State.RUNNING) {
                assertTrue(first.trialList().stream().anyMatch(t -> t.state() == s), "some trial is " + s);
            }
        }
        calls.clear();
        Study again = study().pruner(Pruners.median(3, 1)).journal(file);
        assertEquals(first.trialList().size(), again.trialList().size());
        for (int i = 0; i < 25; i++) {
            Trial a = first.trialList().get(i);
            Trial b = again.trialList().get(i);
            assertEquals(a.toString(), b.toString());
            assertEquals(a.params(), b.params());
            assertEquals(a.intermediateValues(), b.intermediateValues());
            assertEquals(a.seconds(), b.seconds(), 0.0);
            assertEquals(a.value(), b.value(), 0.0);
        }
        again.optimize(objective, 25);
        assertEquals(List.of(), calls, "25 trials are there: optimize(objective, 25) again runs nothing");
        again.optimize(objective, 28);
        assertEquals(List.of(25, 26, 27), calls);
        assertEquals(28, study().journal(file).trialList().size());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> again.journal(file));
        assertTrue(e.getMessage().contains("before optimize"), e.getMessage());
    }

    @Test
    void aKilledProcessResumesWhereItStopped() throws Exception {
        Path file = dir.resolve("study.jsonl");
        Path childCalls = dir.resolve("child-calls.txt");
        Path childOut = dir.resolve("child-out.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), JournalChild.class.getName(), file.toString(),
                childCalls.toString(), "3", "6").redirectErrorStream(true).redirectOutput(childOut.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(file) || !Files.readString(file).contains("{\"event\":\"reported\",\"trial\":3,")) {
                assertTrue(child.isAlive(), "the child ended early: " + Files.readString(childOut));
                assertTrue(System.nanoTime() < deadline, "trial 3 did not start within a minute");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();   // kill -9: no shutdown hook, no finally block runs in the child
            child.waitFor();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.stream().filter(l -> l.contains("\"event\":\"ended\"")).count(),
                String.join("\n", lines));
        List<Map<String, Object>> reference = study().optimize(t -> value(t.params()), 7).trialList().stream()
                .map(Trial::params).toList();
        assertEquals(4, Files.readAllLines(childCalls).size(), "the child called the objective for trials 0 to 3");

        List<Map<String, Object>> calls = new ArrayList<>();
        Study resumed = study().journal(file);
        List<Trial> restored = resumed.trialList();
        assertEquals(4, restored.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(Trial.State.COMPLETE, restored.get(i).state());
            assertEquals(value(restored.get(i).params()), restored.get(i).value(), 0.0);
            assertEquals(reference.get(i), restored.get(i).params());
        }
        Trial killed = restored.get(3);
        assertEquals(Trial.State.FAILED, killed.state());
        assertEquals(Study.PROCESS_ENDED, killed.error());
        assertEquals(Map.of(0, value(killed.params()) + 1), killed.intermediateValues(), "its report is kept");

        resumed.optimize(t -> {
            calls.add(t.params());
            return value(t.params());
        }, 6);
        assertEquals(killed.params(), calls.get(0), "the interrupted configuration runs first");
        assertEquals(3, calls.size(), "3 trials were missing: the interrupted one and two new ones");
        for (Trial t : restored.subList(0, 3)) {
            assertFalse(calls.contains(t.params()), "trial " + t.number() + " is not run again");
        }
        List<Trial> all = resumed.trialList();
        assertEquals(7, all.size());
        assertEquals(6, all.stream().filter(t -> t.state() == Trial.State.COMPLETE).count());
        assertEquals(reference.subList(4, 6), List.of(all.get(5).params(), all.get(6).params()),
                "the sampler goes on where it was: trials 5 and 6 get draws 4 and 5 of the uninterrupted run");

        calls.clear();
        Study third = study().journal(file).optimize(t -> {
            calls.add(t.params());
            return value(t.params());
        }, 7);
        assertEquals(List.of(reference.get(6)), calls, "trial 3 was retried already: only draw 6 runs");
        assertEquals(1, third.trialList().stream().filter(t -> Study.PROCESS_ENDED.equals(t.error())).count());
    }

    @Test
    void aTornLastLineIsIgnoredWithAWarningAndCutOff() throws IOException {
        Path file = dir.resolve("torn.jsonl");
        study().journal(file).optimize(t -> value(t.params()), 3);
        Files.writeString(file, "{\"event\":\"created\",\"trial\":3,\"par", StandardOpenOption.APPEND);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Study study;
        try {
            study = study().journal(file);
        } finally {
            System.setErr(err);
        }
        String warning = captured.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains(file.toString()) && warning.contains("torn line 8"), warning);
        assertEquals(3, study.trialList().size());
        study.optimize(t -> value(t.params()), 4);
        assertEquals(4, study().journal(file).trialList().size(), "the next line started clean");
        assertFalse(Files.readString(file).contains("\"par{"));
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() - 1));   // a whole last line without its newline
        study().journal(file).optimize(t -> value(t.params()), 5);
        assertEquals(5, study().journal(file).trialList().size());
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingFileAndLine() throws IOException {
        Path file = dir.resolve("damaged.jsonl");
        study().journal(file).optimize(t -> value(t.params()), 3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).substring(0, 20));
        Files.write(file, lines);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> study().journal(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("line 3"), e.getMessage());
        lines.set(2, "{\"event\":\"ended\",\"trial\":7,\"state\":\"COMPLETE\",\"value\":1}");
        Files.write(file, lines);
        e = assertThrows(IllegalStateException.class, () -> study().journal(file));
        assertTrue(e.getMessage().contains("line 3: event for trial 7, which was not created"), e.getMessage());
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "my notes\n");
        e = assertThrows(IllegalStateException.class, () -> study().journal(notes));
        assertTrue(e.getMessage().contains("line 1: not a study journal"), e.getMessage());
        assertEquals("my notes\n", Files.readString(notes), "a file that is not a journal is left alone");
    }

    @Test
    void anotherSpaceOrDirectionIsRefused() throws IOException {
        Path file = dir.resolve("study.jsonl");
        study().journal(file).optimize(t -> value(t.params()), 2);
        Files.writeString(file, "{\"event\":\"created\",\"trial\":2", StandardOpenOption.APPEND);
        String before = Files.readString(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.maximize(space(), Samplers.create("random", 5)).journal(file));
        assertTrue(e.getMessage().contains("minimizes; this study maximizes"), e.getMessage());
        Space wider = Space.builder().uniform("x", -2, 2).integer("width", 1, 8).categorical("act", "relu", "tanh")
                .build();
        e = assertThrows(IllegalArgumentException.class,
                () -> Study.minimize(wider, Samplers.create("random", 5)).journal(file));
        assertTrue(e.getMessage().contains("another space") && e.getMessage().contains(file.toString()),
                e.getMessage());
        assertEquals(before, Files.readString(file), "a refused journal is left as it was, torn line included");
        assertNotEquals(0, study().journal(file).trialList().size());
    }
}
