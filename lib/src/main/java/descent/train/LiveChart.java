package descent.train;

import descent.plot.Live;
import descent.plot.Renderable;
import descent.plot.Style;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Table;

/**
 * A {@link TrainingListener} that draws one chart of training and validation loss and accuracy while a {@link Trainer}
 * runs, and redraws it in place in the notebook (through {@link Live}), with a progress line under it.
 *
 * <pre>{@code
 * LiveChart chart = LiveChart.of("Seed CNN on CIFAR-10", train.size(), 128);
 * Trainer.builder(net).train(train).validation(test).batchSize(128).listener(chart) ... .build().fit();
 * chart.progressLine();   // "epoch 2/2  batch 391/391  loss 1.2345  acc 55.1%  258 img/s  ETA 0:00"
 * }</pre>
 *
 * <p>What is drawn, with the epoch (fractional) on the x axis:
 * <ul>
 *   <li>training loss and accuracy, one point per {@code 1 / pointsPerEpoch} of an epoch: the mean over the batches
 *   since the previous point (not the running mean of the whole epoch, which lags), computed from the trainer's
 *   running epoch means {@code L_k} over {@code n_k} images as
 *   {@code (L_k n_k - L_j n_j) / (n_k - n_j)};</li>
 *   <li>validation loss and accuracy at the end of every epoch (when the trainer has a validation set);</li>
 *   <li>loss on the left axis, accuracy in percent on the right axis, with chance level (10%) dotted.</li>
 * </ul>
 * The picture is redrawn at the end of every epoch, at a new point unless the last drawing is less than
 * {@link #minRedrawSeconds} old (fast runs would otherwise spend their time drawing), and every
 * {@link #refreshSeconds} seconds so the progress line (images per second, time left) stays current during a long
 * epoch. Every point is kept either way; the next drawing shows it.
 *
 * <p>Outside a notebook kernel {@link Live} shows nothing; the chart still collects every point, draws with
 * {@link #image()}, and with {@link #printTo} writes the progress line at every point instead.
 */
public final class LiveChart implements TrainingListener, Renderable {

    private static final Color TRAIN = Style.TRAIN;
    private static final Color TEST = Style.VALIDATION;
    private static final Font FOOTER_FONT = Style.MONO;
    /** Space for one line of the progress line under the chart, and the margin left of it. */
    private static final int FOOTER_LINE_HEIGHT = 18;
    private static final int FOOTER_PADDING = 8;
    private static final int FOOTER_MARGIN = 10;

    private final String title;
    private final int trainImages;
    private final int batchSize;
    private int pointsPerEpoch = 10;
    private double refreshSeconds = 10;
    private double minRedrawSeconds = 1;
    private PrintStream out;
    private int width = 760;
    private int height = 440;
    private String heldOut = "validation";

    private final List<double[]> trainPoints = new ArrayList<>();   // {x, loss, accuracy}
    private final List<double[]> validationPoints = new ArrayList<>();    // {x, loss, accuracy}
    private Progress last;
    private String status;
    private int epochOfSegment = -1;
    private double segmentLossSum;
    private double segmentCorrect;
    private long segmentSeen;
    private int nextPointBatch;
    private Live live;
    private long lastDrawNanos;
    private int drawings;

    private LiveChart(String title, int trainImages, int batchSize) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a chart needs a title");
        }
        if (trainImages <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("trainImages and batchSize must be > 0, got " + trainImages + " and "
                    + batchSize);
        }
        this.title = title;
        this.trainImages = trainImages;
        this.batchSize = batchSize;
    }

    /**
     * A chart for a trainer that runs over {@code trainImages} training images in batches of {@code batchSize}
     * (the same numbers the trainer is built with; they turn the trainer's running means into per-point means).
     */
    public static LiveChart of(String title, int trainImages, int batchSize) {
        return new LiveChart(title, trainImages, batchSize);
    }

    /** Training points per epoch (default 10; at most one per batch). */
    public LiveChart pointsPerEpoch(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("pointsPerEpoch must be >= 1, got " + n);
        }
        this.pointsPerEpoch = n;
        return this;
    }

    /** Also redraw (for the progress line) when this many seconds passed since the last drawing (default 10). */
    public LiveChart refreshSeconds(double seconds) {
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException("refreshSeconds must be finite and > 0, got " + seconds);
        }
        this.refreshSeconds = seconds;
        return this;
    }

    /** Skips drawing a new point when the last drawing is younger than this (default 1 s; 0 draws every point). */
    public LiveChart minRedrawSeconds(double seconds) {
        if (!(seconds >= 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException("minRedrawSeconds must be finite and >= 0, got " + seconds);
        }
        this.minRedrawSeconds = seconds;
        return this;
    }

    /** Writes the progress line to {@code out} at every new point (useful outside a notebook). */
    public LiveChart printTo(PrintStream out) {
        this.out = out;
        return this;
    }

    /**
     * What the trainer's held-out set is called in the legend and the progress line (default "validation"; say "test"
     * when the trainer evaluates the test set, as a speedrun that only reports and chooses nothing does).
     */
    public LiveChart heldOutName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("heldOutName must not be blank");
        }
        this.heldOut = name;
        return this;
    }

    /** Picture size in pixels, the progress line included (default 760 x 440). */
    public LiveChart size(int width, int height) {
        if (width < 300 || height < 200) {
            throw new IllegalArgumentException("chart size must be at least 300x200, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        return this;
    }

    // ------------------------------------------------------------------------------------------------ listener

    @Override
    public void onBatch(Progress p) {
        int expected = (trainImages + batchSize - 1) / batchSize;
        if (p.batches() != expected) {
            throw new IllegalArgumentException("LiveChart was made for " + trainImages + " images in batches of "
                    + batchSize + " = " + expected + " batches per epoch, but the trainer reports " + p.batches()
                    + "; pass the trainer's training-set size and batch size to LiveChart.of");
        }
        if (p.epoch() != epochOfSegment) {      // a new epoch: the trainer's running means restart
            epochOfSegment = p.epoch();
            segmentLossSum = 0;
            segmentCorrect = 0;
            segmentSeen = 0;
            nextPointBatch = pointBatch(1, p.batches());
        }
        last = p;
        status = p.line();
        if (p.batch() >= nextPointBatch || p.batch() == p.batches()) {
            long seen = seen(p.batch(), p.batches());
            double lossSum = p.trainLoss() * seen;
            double correct = p.trainAcc() * seen;
            long n = seen - segmentSeen;
            if (n > 0) {
                double x = p.epoch() - 1 + (double) seen / trainImages;
                trainPoints.add(new double[] {x, (lossSum - segmentLossSum) / n, (correct - segmentCorrect) / n});
            }
            segmentLossSum = lossSum;
            segmentCorrect = correct;
            segmentSeen = seen;
            int k = 1;
            while (pointBatch(k, p.batches()) <= p.batch()) {
                k++;
            }
            nextPointBatch = pointBatch(k, p.batches());
            if (out != null) {
                out.println(status);
            }
            if (secondsSinceDraw() >= minRedrawSeconds) {
                draw();
            }
        } else if (secondsSinceDraw() >= refreshSeconds) {
            draw();
        }
    }

    @Override
    public void onEpoch(Progress p, Table history) {
        last = p;
        int row = history.rowCount() - 1;
        double testLoss = history.doubleColumn("val_loss").get(row);
        double testAcc = history.doubleColumn("val_acc").get(row);
        if (Double.isFinite(testLoss) && Double.isFinite(testAcc)) {
            validationPoints.add(new double[] {history.intColumn("epoch").get(row), testLoss, testAcc});
        }
        status = String.format(java.util.Locale.ROOT, "epoch %d/%d done  train loss %.4f acc %.1f%%  %s loss %.4f "
                        + "acc %.1f%%  %.0f img/s  ETA %s", p.epoch(), p.epochs(), p.trainLoss(), 100 * p.trainAcc(),
                heldOut.equals("validation") ? "val" : heldOut, testLoss, 100 * testAcc, p.imagesPerSecond(),
                Progress.duration(p.etaSeconds()));
        if (out != null) {
            out.println(status);
        }
        draw();
    }

    /** Batch (1-based) after which the k-th point of an epoch is taken. */
    private int pointBatch(int k, int batches) {
        int per = Math.min(pointsPerEpoch, batches);
        return (int) Math.ceil((double) k * batches / per);
    }

    /** Images seen after {@code batch} batches of an epoch (the last batch may be smaller). */
    private long seen(int batch, int batches) {
        return batch >= batches ? trainImages : (long) batch * batchSize;
    }

    private double secondsSinceDraw() {
        return live == null ? Double.POSITIVE_INFINITY : (System.nanoTime() - lastDrawNanos) / 1e9;
    }

    /** Number of times the picture was (re)drawn for the notebook. */
    public int drawings() {
        return drawings;
    }

    private void draw() {
        drawings++;
        lastDrawNanos = System.nanoTime();
        if (live == null) {
            live = Live.show(this);
        } else {
            live.update(this);
        }
    }

    // ------------------------------------------------------------------------------------------------ results

    /** Training points so far: {@code {epoch (fractional), mean loss, accuracy 0-1}} each. */
    public List<double[]> trainPoints() {
        return trainPoints.stream().map(double[]::clone).toList();
    }

    /** Validation points so far: {@code {epoch, loss, accuracy 0-1}} each. */
    public List<double[]> validationPoints() {
        return validationPoints.stream().map(double[]::clone).toList();
    }

    /** The line under the chart: the last progress (epoch, batch, loss, accuracy, img/s, ETA); "" before any. */
    public String progressLine() {
        return status == null ? "" : status;
    }

    /** The last progress the trainer reported, or null. */
    public Progress lastProgress() {
        return last;
    }

    /** The chart without the progress line (two y axes: loss left, accuracy in percent right). */
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width).height(height - footerHeight(footerLines().size()))
                .title(title).xAxisTitle("epoch").yAxisTitle("loss (cross-entropy)").build();
        Style.apply(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0);
        chart.getStyler().setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(1, 100.0);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax((double) Math.max(1, last == null ? 1 : last.epochs()));
        chart.getStyler().setXAxisDecimalPattern("0.#");
        chart.setYAxisGroupTitle(0, "loss (cross-entropy)");
        chart.setYAxisGroupTitle(1, "accuracy (%)");
        BasicStroke solid = new BasicStroke(2f);
        BasicStroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {7f, 4f}, 0f);
        boolean any = false;
        if (!trainPoints.isEmpty()) {
            add(chart, "train loss", trainPoints, 1, 0, TRAIN, solid, false);
            add(chart, "train accuracy", trainPoints, 2, 1, TRAIN, dashed, false);
            any = true;
        }
        if (!validationPoints.isEmpty()) {
            add(chart, heldOut + " loss", validationPoints, 1, 0, TEST, solid, true);
            add(chart, heldOut + " accuracy", validationPoints, 2, 1, TEST, dashed, true);
            any = true;
        }
        double right = Math.max(1, last == null ? 1 : last.epochs());
        XYSeries chance = chart.addSeries("chance (10%)", new double[] {0, right}, new double[] {10, 10});
        chance.setYAxisGroup(1);
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.GRAY);
        chance.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {2f, 3f}, 0f));
        if (!any) {   // an empty loss axis still needs a series to be drawn
            XYSeries none = chart.addSeries("waiting for the first batch", new double[] {0}, new double[] {0});
            none.setMarker(SeriesMarkers.NONE);
            none.setLineColor(Color.WHITE);
        }
        return chart;
    }

    private static void add(XYChart chart, String name, List<double[]> points, int column, int group, Color color,
                            BasicStroke stroke, boolean markers) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = points.get(i)[0];
            y[i] = column == 2 ? 100 * points.get(i)[2] : points.get(i)[column];
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setYAxisGroup(group);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineStyle(stroke);
        s.setMarker(markers || x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    /** The chart with the progress line under it, wrapped onto as many lines as the picture's width needs. */
    @Override
    public BufferedImage image() {
        List<String> lines = footerLines();
        BufferedImage plot = BitmapEncoder.getBufferedImage(chart());
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.drawImage(plot, 0, 0, null);
            g.setColor(new Color(60, 60, 60));
            g.setFont(FOOTER_FONT);
            int y = height - footerHeight(lines.size()) + FOOTER_LINE_HEIGHT;
            for (String line : lines) {
                g.drawString(line, FOOTER_MARGIN, y);
                y += FOOTER_LINE_HEIGHT;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static int footerHeight(int lines) {
        return lines * FOOTER_LINE_HEIGHT + FOOTER_PADDING;
    }

    /**
     * The progress line as drawn under the chart: split at its two-space separators into lines that each fit the
     * picture's width (a part wider than the width on its own stays whole).
     */
    List<String> footerLines() {
        String text = status == null ? "waiting for the first batch" : status;
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            java.awt.FontMetrics fm = g.getFontMetrics(FOOTER_FONT);
            int room = width - 2 * FOOTER_MARGIN;
            List<String> lines = new ArrayList<>();
            String current = null;
            for (String part : text.split("  ")) {
                String joined = current == null ? part : current + "  " + part;
                if (current != null && fm.stringWidth(joined) > room) {
                    lines.add(current);
                    current = part;
                } else {
                    current = joined;
                }
            }
            lines.add(current);
            return lines;
        } finally {
            g.dispose();
        }
    }

    /** Width in pixels of {@code text} in the progress line's font. */
    static int footerWidth(String text) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(FOOTER_FONT).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    @Override
    public String toString() {
        return "LiveChart[" + title + ", " + trainPoints.size() + " training points, " + validationPoints.size()
                + " test points]";
    }
}
