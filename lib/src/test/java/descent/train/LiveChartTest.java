package descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Augmentation;
import descent.data.Cifar10;
import descent.data.Synthetic;
import descent.nn.Backend;
import descent.plot.Live;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class LiveChartTest {

    @BeforeAll
    static void oneThread() {
        Backend.setThreads(1);
    }

    private static Progress progress(int epoch, int batch, int batches, double loss, double acc) {
        return new Progress(epoch, 2, batch, batches, loss, acc, 250.0, 90.0, 0.01);
    }

    private static Table history(int epoch, double testLoss, double testAcc) {
        Table h = Table.create("history", IntColumn.create("epoch"), DoubleColumn.create("train_loss"),
                DoubleColumn.create("train_acc"), DoubleColumn.create("val_loss"), DoubleColumn.create("val_acc"),
                DoubleColumn.create("seconds"), DoubleColumn.create("img_per_s"));
        h.intColumn("epoch").append(epoch);
        h.doubleColumn("train_loss").append(1.0);
        h.doubleColumn("train_acc").append(0.5);
        h.doubleColumn("val_loss").append(testLoss);
        h.doubleColumn("val_acc").append(testAcc);
        h.doubleColumn("seconds").append(1.0);
        h.doubleColumn("img_per_s").append(250.0);
        return h;
    }

    @Test
    void pointsAreSegmentMeansRecoveredFromTheRunningEpochMeans() {
        // 10 images in batches of 4: batches of 4, 4, 2. Batch losses 3, 2, 1 (correct 0, 2, 2):
        // running means after each batch: 3 (over 4), (12 + 8) / 8 = 2.5, (20 + 2) / 10 = 2.2;
        // accuracy 0/4, 2/8, 4/10. With 3 points per epoch every batch is a point, and the point means must give
        // back the batch means 3, 2, 1 and accuracies 0, 0.5, 1.
        LiveChart chart = LiveChart.of("test", 10, 4).pointsPerEpoch(3);
        chart.onBatch(progress(1, 1, 3, 3.0, 0.0));
        chart.onBatch(progress(1, 2, 3, 2.5, 0.25));
        chart.onBatch(progress(1, 3, 3, 2.2, 0.4));
        List<double[]> pts = chart.trainPoints();
        assertEquals(3, pts.size());
        double[][] expected = {{0.4, 3.0, 0.0}, {0.8, 2.0, 0.5}, {1.0, 1.0, 1.0}};   // x = images seen / 10
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(expected[i][j], pts.get(i)[j], 1e-12, "point " + i + " value " + j);
            }
        }
        // the second epoch starts a new segment (the trainer's running means restart)
        chart.onBatch(progress(2, 1, 3, 0.5, 1.0));
        assertEquals(1.4, chart.trainPoints().get(3)[0], 1e-12);
        assertEquals(0.5, chart.trainPoints().get(3)[1], 1e-12);
    }

    @Test
    void fewerPointsThanBatchesAverageOverSeveralBatches() {
        // 100 images, batches of 10 (10 batches), 2 points per epoch: after batch 5 and batch 10
        LiveChart chart = LiveChart.of("test", 100, 10).pointsPerEpoch(2);
        for (int b = 1; b <= 10; b++) {
            // batch loss b, so the running mean after b batches is (1 + ... + b) / b = (b + 1) / 2
            chart.onBatch(progress(1, b, 10, (b + 1) / 2.0, 0.5));
        }
        List<double[]> pts = chart.trainPoints();
        assertEquals(2, pts.size());
        assertEquals(0.5, pts.get(0)[0], 1e-12);
        assertEquals(3.0, pts.get(0)[1], 1e-12, "mean of 1..5");
        assertEquals(8.0, pts.get(1)[1], 1e-12, "mean of 6..10");
        assertEquals(0.5, pts.get(1)[2], 1e-12);
    }

    @Test
    void buildsTheChartAndAProgressLineWithThroughputAndEta() {
        assertFalse(Live.inKernel(), "unit tests run outside the kernel, where Live shows nothing");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveChart chart = LiveChart.of("Seed CNN", 10, 4).pointsPerEpoch(3)
                .printTo(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("", chart.progressLine());
        chart.image();   // draws before any point, too
        chart.onBatch(progress(1, 1, 3, 3.0, 0.0));
        assertTrue(chart.progressLine().contains("250 img/s") && chart.progressLine().contains("ETA 1:30"),
                chart.progressLine());
        chart.onBatch(progress(1, 2, 3, 2.5, 0.25));
        chart.onBatch(progress(1, 3, 3, 2.2, 0.4));
        chart.onEpoch(progress(1, 3, 3, 2.2, 0.4), history(1, 1.9, 0.3));
        assertEquals(1, chart.validationPoints().size());
        assertEquals(0.3, chart.validationPoints().get(0)[2], 0);
        String line = chart.progressLine();
        assertTrue(line.startsWith("epoch 1/2 done") && line.contains("val loss 1.9000 acc 30.0%")
                && line.contains("250 img/s") && line.contains("ETA 1:30"), line);
        assertEquals(4, bytes.toString(StandardCharsets.UTF_8).lines().count(), "one line per point and per epoch");

        XYChart xy = chart.chart();
        assertEquals("Seed CNN", xy.getTitle());
        assertEquals(List.of("train loss", "train accuracy", "validation loss", "validation accuracy", "chance (10%)"),
                List.copyOf(xy.getSeriesMap().keySet()));
        assertEquals(1, xy.getSeriesMap().get("validation accuracy").getYAxisGroup(), "accuracy on the right axis");
        assertEquals(0, xy.getSeriesMap().get("train loss").getYAxisGroup());
        assertEquals(30.0, xy.getSeriesMap().get("validation accuracy").getYData()[0], 1e-12, "accuracy in percent");
        BufferedImage img = chart.image();
        assertEquals(760, img.getWidth());
        assertEquals(440, img.getHeight());
    }

    @Test
    void aLongProgressLineIsWrappedSoThatNothingIsCutOff() {
        // an epoch-done line of a long run is wider than 760 pixels; it used to be drawn in one line and cut ("ETA 0:0")
        LiveChart chart = LiveChart.of("Strong CNN", 10, 4).pointsPerEpoch(3).size(300, 440);
        chart.onEpoch(progress(1, 3, 3, 2.2, 0.4), history(1, 1.9, 0.3));
        String line = chart.progressLine();
        assertTrue(LiveChart.footerWidth(line) > 300 - 20, "the test needs a line wider than the picture");
        List<String> lines = chart.footerLines();
        assertTrue(lines.size() > 1, lines.toString());
        assertEquals(line, String.join("  ", lines), "every part of the line is drawn, in order");
        for (String l : lines) {
            assertTrue(LiveChart.footerWidth(l) <= 300 - 20, l + " does not fit");
        }
        BufferedImage img = chart.image();
        assertEquals(300, img.getWidth());
        assertEquals(440, img.getHeight());
        assertEquals(440 - lines.size() * 18 - 8, chart.chart().getHeight(), "the chart leaves room for every line");
    }

    @Test
    void followsARealTrainerOutsideTheKernel() {
        Cifar10 train = Synthetic.cifar10(60, 1, Cifar10.Split.TRAIN);
        Cifar10 test = Synthetic.cifar10(20, 2, Cifar10.Split.TEST);
        LiveChart chart = LiveChart.of("tiny", train.size(), 16).pointsPerEpoch(2);
        Trainer.Result r = Trainer.builder(TrainerTest.tinyNet()).train(train).validation(test)
                .optimizer(TrainerTest.sgd(0.02, 0.9)).batchSize(16).epochs(2)
                .augmentation(Augmentation.cropAndFlip(4)).seed(3).listener(chart).build().fit();
        assertEquals(2, r.epochsDone());
        assertEquals(4, chart.trainPoints().size(), "2 points per epoch, 2 epochs");
        assertEquals(2, chart.validationPoints().size());
        // the last point of each epoch ends at an integer epoch, and the epoch's points average to its train loss
        Table h = r.history();
        for (int e = 0; e < 2; e++) {
            double[] first = chart.trainPoints().get(2 * e);
            double[] second = chart.trainPoints().get(2 * e + 1);
            assertEquals(e + 1.0, second[0], 1e-12);
            // 60 images, 4 batches of 16, 16, 16, 12; points after batch 2 (32 images) and batch 4 (28 images)
            double mean = (first[1] * 32 + second[1] * 28) / 60;
            assertEquals(h.doubleColumn("train_loss").get(e), mean, 1e-9);
            assertEquals(h.doubleColumn("val_acc").get(e), chart.validationPoints().get(e)[2], 0);
        }
    }

    @Test
    void fastRunsAreNotRedrawnAtEveryPointButEveryEpochEndIs() {
        // 3 points within far less than a second: the first draws, the next two are kept but not drawn; the epoch
        // end always draws. With minRedrawSeconds(0) every point draws.
        LiveChart throttled = LiveChart.of("t", 10, 4).pointsPerEpoch(3);
        LiveChart eager = LiveChart.of("t", 10, 4).pointsPerEpoch(3).minRedrawSeconds(0);
        for (LiveChart c : List.of(throttled, eager)) {
            c.onBatch(progress(1, 1, 3, 3.0, 0.0));
            c.onBatch(progress(1, 2, 3, 2.5, 0.25));
            c.onBatch(progress(1, 3, 3, 2.2, 0.4));
            c.onEpoch(progress(1, 3, 3, 2.2, 0.4), history(1, 1.9, 0.3));
            assertEquals(3, c.trainPoints().size());
        }
        assertEquals(2, throttled.drawings());
        assertEquals(4, eager.drawings());
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of("t", 10, 2).minRedrawSeconds(-1));
    }

    @Test
    void aMismatchedBatchSizeOrBadOptionIsReported() {
        LiveChart chart = LiveChart.of("t", 100, 10);
        String msg = assertThrows(IllegalArgumentException.class, () -> chart.onBatch(progress(1, 1, 7, 1, 0)))
                .getMessage();
        assertTrue(msg.contains("100 images in batches of 10 = 10 batches") && msg.contains("reports 7"), msg);
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of(" ", 10, 2));
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of("t", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of("t", 10, 2).pointsPerEpoch(0));
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of("t", 10, 2).refreshSeconds(0));
        assertThrows(IllegalArgumentException.class, () -> LiveChart.of("t", 10, 2).heldOutName(" "));
    }

    @Test
    void theHeldOutSetCanBeNamedTestInTheLegendAndTheProgressLine() {
        LiveChart chart = LiveChart.of("Speedrun", 10, 4).pointsPerEpoch(3).heldOutName("test");
        chart.onBatch(progress(1, 1, 3, 3.0, 0.0));
        chart.onEpoch(progress(1, 3, 3, 2.2, 0.4), history(1, 1.9, 0.3));
        assertTrue(chart.progressLine().contains("test loss 1.9000 acc 30.0%"), chart.progressLine());
        assertEquals(List.of("train loss", "train accuracy", "test loss", "test accuracy", "chance (10%)"),
                List.copyOf(chart.chart().getSeriesMap().keySet()));
    }
}
