package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.Interrupts;
import descent.data.Dataset;
import descent.data.Synthetic;
import descent.nn.Linear;
import descent.nn.ReLU;
import descent.nn.Sequential;
import descent.optim.Optimizers;
import descent.train.Checkpoint;
import descent.train.Evaluation;
import descent.train.Progress;
import descent.train.Trainer;
import descent.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/** Population-based training of a small MLP on three spirals, with SGD + momentum whose lr and momentum evolve. */
class PbtTest {

    @TempDir
    Path tmp;

    static final Dataset TRAIN = data(Synthetic.spirals(320, 3, 0.1, 1));     // 10 full batches of 32
    static final Dataset VAL = data(Synthetic.spirals(160, 3, 0.1, 2));
    static final Space SPACE = Space.builder().logUniform("lr", 1e-3, 0.5).uniform("momentum", 0.5, 0.95).build();

    static Dataset data(Synthetic.Classification c) {
        return Dataset.of(c.x().castTo(DataType.FLOAT), c.oneHot().castTo(DataType.FLOAT));
    }

    static Sequential mlp(long seed) {
        return Sequential.input(2).add(new Linear(2, 32)).add(new ReLU()).add(new Linear(32, 3))
                .dataType(DataType.FLOAT).seed(seed).build();
    }

    static final Function<Trial, Trainer.Builder> MEMBER = trial -> Trainer.builder(mlp(trial.number()))
            .train(TRAIN).validation(VAL)
            .optimizer(Optimizers.create("momentum",
                    Map.of("lr", trial.getDouble("lr"), "momentum", trial.getDouble("momentum"))))
            .batchSize(32).seed(5);

    Pbt.Builder pbt(String dir, long seed) {
        return Pbt.builder(SPACE).population(8).interval(1).rounds(3).seed(seed).directory(tmp.resolve(dir))
                .member(MEMBER);
    }

    @Test
    void exploitCopiesTheCheckpointExactlyAndExploreMultipliesByPointEightOrOnePointTwo() {
        Pbt pbt = pbt("a", 3).build();
        pbt.round();
        Table first = pbt.table();
        assertEquals(8, first.rowCount());
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ranked.add(i);
        }
        double[] score = first.doubleColumn("score").asDoubleArray();
        ranked.sort((a, b) -> Double.compare(score[a], score[b]));
        Set<Integer> targets = new HashSet<>();
        int[] sourceOf = new int[8];
        for (int m = 0; m < 8; m++) {
            int s = pbt.copiedFrom(m);
            sourceOf[m] = s;
            if (s < 0) {
                assertEquals(first.row(m).getDouble("lr"), pbt.params(m).get("lr"), "kept its lr");
                continue;
            }
            targets.add(m);
            assertTrue(ranked.subList(0, 2).contains(s), "source " + s + " is in the top two of " + ranked);
            // exploit: the copied member's checkpoint is the source's: parameters, buffers, optimizer state, history
            Checkpoint mine = Checkpoint.read(pbt.checkpoint(m));
            Checkpoint source = Checkpoint.read(pbt.checkpoint(s));
            assertEquals(source.arrays().size(), mine.arrays().size());
            assertEquals(3, mine.arrays().size(), "parameters, buffers, momentum buffer");
            for (int a = 0; a < mine.arrays().size(); a++) {
                assertEquals(source.arrays().get(a), mine.arrays().get(a), "array " + a + " of member " + m);
            }
            assertEquals(source.header().get("history"), mine.header().get("history"));
            // explore: the source's values times 0.8 or 1.2 (these stay inside the bounds here or are clipped)
            for (String name : List.of("lr", "momentum")) {
                double from = first.row(s).getDouble(name);
                double to = (Double) pbt.params(m).get(name);
                Space.Dimension d = SPACE.dimension(name);
                assertTrue(to >= d.lo() && to <= d.hi(), name + " " + to);
                assertTrue(to == Math.min(d.hi(), from * 1.2) || to == Math.max(d.lo(), from * 0.8),
                        name + ": " + from + " -> " + to);
            }
        }
        assertEquals(Set.copyOf(ranked.subList(6, 8)), targets, "the bottom 25% were replaced");

        pbt.round();
        Table second = pbt.table().where(pbt.table().intColumn("round").isEqualTo(2));
        for (Row row : second) {
            int m = row.getInt("member");
            int s = row.getInt("copied_from");
            assertEquals(sourceOf[m], s, "the table records the copy");
            if (s >= 0) {
                // the member went on from the copy (epoch 1 of its history is the source's) with its new lr
                List<?> history = (List<?>) Checkpoint.read(pbt.checkpoint(m)).header().get("history");
                assertEquals(((List<?>) Checkpoint.read(pbt.checkpoint(s)).header().get("history")).get(0),
                        history.get(0));
                assertEquals(row.getDouble("lr"), ((Number) ((Map<?, ?>) history.get(1)).get("lr")).doubleValue());
            }
        }
    }

    @Test
    void deterministicWithTheSeed() {
        Table a = pbt("a", 7).population(4).rounds(2).run().table();
        Table b = pbt("b", 7).population(4).rounds(2).run().table();
        Table c = pbt("c", 8).population(4).rounds(2).run().table();
        assertEquals(8, a.rowCount());
        for (String col : List.of("round", "member", "lr", "momentum", "score", "copied_from")) {
            assertEquals(a.column(col).asList(), b.column(col).asList(), col);
        }
        assertNotEquals(a.column("lr").asList(), c.column("lr").asList(), "another seed, other draws");
        assertEquals(List.of("round", "member", "lr", "momentum", "score", "copied_from", "seconds"), a.columnNames());

        // the stop button in round 2 (member 1, batch 3): the table keeps round 1, and run() continues to the same end
        AtomicBoolean pressed = new AtomicBoolean();
        Pbt stopped = pbt("d", 7).population(4).rounds(2).member(trial -> MEMBER.apply(trial).listener(
                new TrainingListener() {
                    @Override
                    public void onBatch(Progress p) {
                        if (trial.number() == 5 && p.batch() == 3 && !pressed.getAndSet(true)) {
                            Interrupts.request();
                        }
                    }
                })).build();
        try {
            assertThrows(Interrupts.StopRequested.class, stopped::run);
        } finally {
            Interrupts.clear();
        }
        assertEquals(1, stopped.roundsDone());
        assertEquals(4, stopped.table().rowCount());
        Table d = stopped.run().table();
        for (String col : List.of("round", "member", "lr", "momentum", "score", "copied_from")) {
            assertEquals(a.column(col).asList(), d.column(col).asList(), "stopped and continued: " + col);
        }
    }

    @Test
    void theBestMemberBeatsTheMedianOfTheInitialDrawsTrainedAlone() {
        int rounds = 5;
        int n = 6;
        Pbt.Result r = Pbt.builder(SPACE).population(n).interval(1).rounds(rounds).seed(11)
                .directory(tmp.resolve("pbt")).member(MEMBER).log(System.out).run();
        Table t = r.table();
        assertEquals(n * rounds, t.rowCount());
        // the same initial points, each trained for the same epochs without PBT
        double[] alone = new double[n];
        for (int m = 0; m < n; m++) {
            Row row = t.row(m);
            Trial trial = new Trial(m, Map.of("lr", row.getDouble("lr"), "momentum", row.getDouble("momentum")));
            Table h = MEMBER.apply(trial).epochs(rounds).build().fit().history();
            alone[m] = h.doubleColumn("val_loss").get(rounds - 1);
        }
        double[] sorted = alone.clone();
        Arrays.sort(sorted);
        double median = (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        System.out.printf("PBT best val_loss %.4f (member %d, %s); trained alone: best %.4f, median %.4f, worst %.4f%n",
                r.bestScore(), r.bestMember(), r.bestParams(), sorted[0], median, sorted[n - 1]);
        assertTrue(r.bestScore() <= median, "PBT " + r.bestScore() + " vs median " + median);
        // the result's model is the best member's, trained rounds epochs
        assertEquals(rounds, r.best().epochsDone());
        assertEquals(r.bestScore(), Evaluation.of(r.best().model(), VAL, 160).loss(), 1e-5);
        assertEquals(r.bestScore(), t.where(t.intColumn("round").isEqualTo(rounds)).doubleColumn("score").min());
    }

    @Test
    void aDivergedMemberScoresNanAndIsReplaced() {
        // row 0 (member 0 in round 1) gets an absurd learning rate whatever was drawn
        Function<Trial, Trainer.Builder> member = trial -> MEMBER.apply(trial).optimizer(Optimizers.create("sgd",
                Map.of("lr", trial.number() == 0 ? 1e4 : trial.getDouble("lr"))));
        Pbt pbt = Pbt.builder(SPACE).population(4).rounds(2).seed(1).directory(tmp.resolve("d")).member(member).build();
        pbt.round();
        assertTrue(Double.isNaN(pbt.table().doubleColumn("score").getDouble(0)));
        assertTrue(pbt.copiedFrom(0) >= 0, "the diverged member is replaced");
        Pbt.Result r = pbt.run();
        assertTrue(!Double.isNaN(r.bestScore()));
        assertTrue(pbt.table().intColumn("copied_from").get(4) >= 0, "round 2, member 0 continued a copy");
    }

    @Test
    void exploreKeepsEveryKindInsideTheSpace() {
        Space space = Space.builder().uniform("u", 0.1, 1.0).logUniform("l", 1e-4, 1e-1).integer("i", 1, 10)
                .logInteger("li", 2, 64).categorical("c", "a", "b", "c").build();
        SplittableRandom rng = new SplittableRandom(4);
        int changed = 0;
        int n = 2000;
        for (int k = 0; k < n; k++) {
            double[] u = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            if (k % 4 == 0) {
                u = new double[] {k % 8 == 0 ? 0 : 1, k % 8 == 0 ? 0 : 1, k % 8 == 0 ? 0 : 1, k % 8 == 0 ? 0 : 1, 0};
            }
            Map<String, Object> p = space.at(u);
            Map<String, Object> q = Pbt.explore(space, p, rng, 0.8, 1.2, 0.25);
            space.unit(q);     // refuses any value outside the space or of the wrong type
            for (String name : List.of("u", "l")) {
                double from = (Double) p.get(name);
                double to = (Double) q.get(name);
                Space.Dimension d = space.dimension(name);
                assertTrue(to == Math.min(d.hi(), from * 1.2) || to == Math.max(d.lo(), from * 0.8), from + " " + to);
            }
            for (String name : List.of("i", "li")) {
                int from = (Integer) p.get(name);
                int to = (Integer) q.get(name);
                Space.Dimension d = space.dimension(name);
                assertTrue(to != from || from == d.lo() || from == d.hi(), name + " moves unless at a bound: " + from);
                assertTrue(Math.abs(to - from) <= Math.max(1, Math.round(0.2 * from)), from + " -> " + to);
            }
            changed += p.get("c").equals(q.get("c")) ? 0 : 1;
        }
        // drawn anew with probability 1/4, and then a different category 2 times in 3
        assertEquals(0.25 * 2 / 3, (double) changed / n, 0.04);
        Map<String, Object> p = space.at(new double[] {0.5, 0.5, 0.5, 0.5, 0.5});
        assertEquals(p.get("c"), Pbt.explore(space, p, rng, 0.8, 1.2, 0.0).get("c"));
    }

    @Test
    void theTrainerResumesWithNewHyperparametersOnlyWhenAsked() {
        Path ckpt = tmp.resolve("m.ckpt");
        Function<Map<String, Double>, Trainer.Builder> recipe = o -> Trainer.builder(mlp(1)).train(TRAIN)
                .optimizer(Optimizers.create("momentum", o)).batchSize(32).seed(2).checkpoint(ckpt);
        recipe.apply(Map.of("lr", 0.1, "momentum", 0.9)).epochs(1).build().fit();
        // the same settings: the flag changes nothing, the run continues bit for bit
        Sequential straight = mlp(1);
        Trainer.builder(straight).train(TRAIN).optimizer(Optimizers.create("momentum", Map.of("lr", 0.1, "momentum",
                0.9))).batchSize(32).seed(2).epochs(2).build().fit();
        Trainer same = recipe.apply(Map.of("lr", 0.1, "momentum", 0.9)).epochs(2).resume(true)
                .resumeWithNewHyperparameters(true).build();
        same.fit();
        assertEquals(straight.params(), same.model().params());
        // new lr and momentum: refused without the flag, used with it
        recipe.apply(Map.of("lr", 0.1, "momentum", 0.9)).epochs(1).build().fit();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recipe.apply(Map.of("lr", 0.05,
                "momentum", 0.5)).epochs(2).resume(true).build().fit());
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
        Trainer changed = recipe.apply(Map.of("lr", 0.05, "momentum", 0.5)).epochs(2).resume(true)
                .resumeWithNewHyperparameters(true).build();
        Table h = changed.fit().history();
        assertEquals(List.of(0.1, 0.05), h.doubleColumn("lr").asList(), "epoch 1 from the checkpoint, epoch 2 new");
        // an optimizer whose state does not fit the checkpoint's is still refused
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(mlp(1)).train(TRAIN)
                .optimizer(Optimizers.create("adam")).batchSize(32).seed(2).checkpoint(ckpt).epochs(3).resume(true)
                .resumeWithNewHyperparameters(true).build().fit());
        assertTrue(e.getMessage().contains("momentum_buffer"), e.getMessage());
    }

    @Test
    void badSettingsAreRefusedByName() {
        Pbt.Builder b = Pbt.builder(SPACE);
        refuses(() -> b.population(1), "population", "1");
        refuses(() -> b.interval(0), "interval");
        refuses(() -> b.rounds(0), "rounds");
        refuses(() -> b.truncation(0.6), "truncation", "0.6");
        refuses(() -> b.truncation(0), "truncation");
        refuses(() -> b.perturb(1.2, 0.8), "perturb");
        refuses(() -> b.resample(1.5), "resample");
        refuses(() -> b.minimize("val_los"), "val_los", "val_loss");
        refuses(() -> b.maximize("epoch"), "epoch");
        refuses(b::build, "member(...) is required");
        Pbt noValidation = Pbt.builder(SPACE).population(2).rounds(1).directory(tmp.resolve("v"))
                .member(t -> Trainer.builder(mlp(0)).train(TRAIN).optimizer(Optimizers.create("sgd"))).build();
        refuses(noValidation::round, "val_loss", "validation(...)");
        assertThrows(IllegalStateException.class, noValidation::result, "no round done");
    }

    static void refuses(Executable e, String... mustMention) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String s : mustMention) {
            assertTrue(ex.getMessage().contains(s), "'" + ex.getMessage() + "' should mention '" + s + "'");
        }
    }
}
