package descent.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A matrix drawn as coloured cells, with the value written in each cell, labelled rows and columns, axis labels,
 * a title and a colour scale; e.g. a confusion matrix.
 *
 * <pre>{@code
 * Heatmap.of(confusion)                       // int[][] or double[][], rows x columns
 *        .title("Confusion matrix")
 *        .rowLabels(names).columnLabels(names)
 *        .xLabel("predicted class").yLabel("true class")
 *        .scaleLabel("images")
 * }</pre>
 *
 * Colour: a value v maps to {@code t = (v - lo) / (hi - lo)} clipped to [0, 1] (lo, hi: the smallest and largest
 * value unless {@link #range} sets them), drawn from white (t = 0) to dark blue (t = 1), a sequential scale that
 * prints and reads well in grey. The number in a cell is white on dark cells and black on light ones. Values
 * are written with {@link #format} (default: integers for {@code int[][]}, 3 significant digits otherwise).
 * A notebook cell whose value is a {@code Heatmap} shows it as a PNG.
 */
public final class Heatmap implements Renderable {

    private static final Font TITLE_FONT = Style.TITLE;
    private static final Font LABEL_FONT = Style.LABEL;
    private static final Font TICK_FONT = Style.LEGEND;     // row and column labels: legend-sized
    private static final Font CELL_FONT = Style.CELL;
    private static final Color LOW = Style.HEAT_LOW;
    private static final Color HIGH = Style.HEAT_HIGH;
    private static final int PAD = 10;
    private static final int BAR_WIDTH = 16;

    private final double[][] values;
    private final int rows;
    private final int columns;
    private String title;
    private String xLabel;
    private String yLabel;
    private String scaleLabel;
    private String[] rowLabels;
    private String[] columnLabels;
    private String format;
    private int cellSize = 48;
    private Double lo;
    private Double hi;

    private Heatmap(double[][] values, String format) {
        if (values == null || values.length == 0 || values[0] == null || values[0].length == 0) {
            throw new IllegalArgumentException("Heatmap: needs at least one row and one column");
        }
        this.rows = values.length;
        this.columns = values[0].length;
        this.values = new double[rows][];
        for (int r = 0; r < rows; r++) {
            if (values[r] == null || values[r].length != columns) {
                throw new IllegalArgumentException("Heatmap: row " + r + " has " + (values[r] == null ? "no"
                        : values[r].length) + " values, row 0 has " + columns + " (rows must have equal length)");
            }
            for (int c = 0; c < columns; c++) {
                if (!Double.isFinite(values[r][c])) {
                    throw new IllegalArgumentException("Heatmap: value at row " + r + ", column " + c + " is "
                            + values[r][c]);
                }
            }
            this.values[r] = values[r].clone();
        }
        this.format = format;
    }

    /** A heatmap of {@code values[row][column]}; the values are copied. */
    public static Heatmap of(double[][] values) {
        return new Heatmap(values, null);
    }

    /** A heatmap of counts {@code values[row][column]} (e.g. a confusion matrix), written as integers. */
    public static Heatmap of(int[][] values) {
        if (values == null) {
            throw new IllegalArgumentException("Heatmap: values must not be null");
        }
        double[][] d = new double[values.length][];
        for (int r = 0; r < values.length; r++) {
            if (values[r] == null) {
                throw new IllegalArgumentException("Heatmap: row " + r + " is null");
            }
            d[r] = new double[values[r].length];
            for (int c = 0; c < values[r].length; c++) {
                d[r][c] = values[r][c];
            }
        }
        return new Heatmap(d, "%.0f");
    }

    public Heatmap title(String title) {
        this.title = title;
        return this;
    }

    /** Label of the horizontal axis (what the columns are). */
    public Heatmap xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    /** Label of the vertical axis (what the rows are). */
    public Heatmap yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    /** What the colour scale measures, written above it (e.g. "images"). */
    public Heatmap scaleLabel(String label) {
        this.scaleLabel = label;
        return this;
    }

    /** One label per row, top to bottom. */
    public Heatmap rowLabels(List<String> labels) {
        this.rowLabels = check(labels, rows, "row");
        return this;
    }

    /** One label per column, left to right (drawn rotated when they are wider than a cell). */
    public Heatmap columnLabels(List<String> labels) {
        this.columnLabels = check(labels, columns, "column");
        return this;
    }

    private static String[] check(List<String> labels, int n, String what) {
        if (labels == null || labels.size() != n) {
            throw new IllegalArgumentException("Heatmap: " + n + " " + what + "s need " + n + " " + what + " labels, got "
                    + (labels == null ? "null" : labels.size()));
        }
        return labels.toArray(new String[0]);
    }

    /** A {@link String#format} pattern for the cell values, e.g. {@code "%.2f"}. */
    public Heatmap format(String pattern) {
        try {
            String.format(Locale.ROOT, pattern, 1.0);
        } catch (java.util.IllegalFormatException e) {
            throw new IllegalArgumentException("Heatmap: format '" + pattern + "' cannot format a double: "
                    + e.getMessage());
        }
        this.format = pattern;
        return this;
    }

    /** Side of a cell in pixels, 16 to 200 (default 48). */
    public Heatmap cellSize(int pixels) {
        if (pixels < 16 || pixels > 200) {
            throw new IllegalArgumentException("Heatmap: cell size must be in 16..200 pixels, got " + pixels);
        }
        this.cellSize = pixels;
        return this;
    }

    /** Maps {@code lo} to white and {@code hi} to the darkest colour; values outside are clipped. */
    public Heatmap range(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("Heatmap: range needs finite lo < hi, got " + lo + " .. " + hi);
        }
        this.lo = lo;
        this.hi = hi;
        return this;
    }

    /** The value range of the colour scale: the one given to {@link #range}, or min..max of the values. */
    public double[] valueRange() {
        if (lo != null) {
            return new double[] {lo, hi};
        }
        double mn = Double.POSITIVE_INFINITY;
        double mx = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                mn = Math.min(mn, v);
                mx = Math.max(mx, v);
            }
        }
        return mn < mx ? new double[] {mn, mx} : new double[] {mn - 0.5, mn + 0.5};
    }

    /** Colour of value v for the scale {@code [lo, hi]}: white to dark blue, linear in each RGB channel. */
    public static Color color(double v, double lo, double hi) {
        double t = Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
        return new Color(mix(LOW.getRed(), HIGH.getRed(), t), mix(LOW.getGreen(), HIGH.getGreen(), t),
                mix(LOW.getBlue(), HIGH.getBlue(), t));
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    /** The text written in cell (r, c). */
    public String cellText(int r, int c) {
        double v = values[r][c];
        if (format != null) {
            return String.format(Locale.ROOT, format, v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    // ------------------------------------------------------------------------------------------------ drawing

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static int widest(String[] labels, FontMetrics fm) {
        int w = 0;
        if (labels != null) {
            for (String s : labels) {
                w = Math.max(w, fm.stringWidth(s == null ? "" : s));
            }
        }
        return w;
    }

    /** Where things go, computed once per drawing. */
    private record Layout(int gridX, int gridY, int width, int height, boolean rotateColumns, int columnLabelH,
                          int barX) {
    }

    private Layout layout() {
        FontMetrics tick = metrics(TICK_FONT);
        FontMetrics label = metrics(LABEL_FONT);
        FontMetrics titleM = metrics(TITLE_FONT);
        int titleH = title == null ? 0 : titleM.getHeight() + PAD;
        int yLabelW = yLabel == null ? 0 : label.getHeight() + PAD / 2;
        int rowLabelW = rowLabels == null ? 0 : widest(rowLabels, tick) + PAD / 2;
        int colW = widest(columnLabels, tick);
        boolean rotate = colW > cellSize - 4;
        int columnLabelH = columnLabels == null ? 0 : (rotate ? colW : tick.getHeight()) + PAD / 2;
        int xLabelH = xLabel == null ? 0 : label.getHeight() + PAD / 2;
        int gridX = PAD + yLabelW + rowLabelW;
        int gridY = PAD + titleH + xLabelH + columnLabelH;
        if (scaleLabel != null) {   // the scale label sits above the colour bar
            gridY = Math.max(gridY, PAD + titleH + tick.getHeight() + PAD / 2);
        }
        int gridW = columns * cellSize;
        int gridH = rows * cellSize;
        String[] scaleTexts = scaleTexts();
        int barX = gridX + gridW + 2 * PAD;
        int width = barX + Math.max(BAR_WIDTH + 6 + widest(scaleTexts, tick),
                scaleLabel == null ? 0 : tick.stringWidth(scaleLabel)) + PAD;
        if (title != null) {
            width = Math.max(width, titleM.stringWidth(title) + 2 * PAD);
        }
        int height = gridY + gridH + PAD;
        return new Layout(gridX, gridY, width, height, rotate, columnLabelH, barX);
    }

    private String[] scaleTexts() {
        double[] r = valueRange();
        return new String[] {scaleText(r[0]), scaleText(r[1]), scaleText((r[0] + r[1]) / 2)};
    }

    private String scaleText(double v) {
        return format != null ? String.format(Locale.ROOT, format, v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Top-left corner of cell (r, c) in {@link #image()}. */
    java.awt.Point cellOrigin(int r, int c) {
        Layout l = layout();
        return new java.awt.Point(l.gridX + c * cellSize, l.gridY + r * cellSize);
    }

    @Override
    public BufferedImage image() {
        Layout l = layout();
        BufferedImage img = new BufferedImage(l.width, l.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, l.width, l.height);
            int gridW = columns * cellSize;
            int gridH = rows * cellSize;
            double[] range = valueRange();
            // title, centred over the whole picture
            g.setColor(Color.BLACK);
            if (title != null) {
                g.setFont(TITLE_FONT);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(title, (l.width - fm.stringWidth(title)) / 2, PAD + fm.getAscent());
            }
            // x label above the column labels, centred on the grid
            if (xLabel != null) {
                g.setFont(LABEL_FONT);
                FontMetrics fm = g.getFontMetrics();
                int y = l.gridY - l.columnLabelH - PAD / 2 - fm.getDescent();
                g.drawString(xLabel, l.gridX + (gridW - fm.stringWidth(xLabel)) / 2, y);
            }
            // column labels: horizontal, or rotated 90 degrees reading upwards, ending at the grid
            g.setFont(TICK_FONT);
            FontMetrics tm = g.getFontMetrics();
            if (columnLabels != null) {
                for (int c = 0; c < columns; c++) {
                    String s = columnLabels[c];
                    int cx = l.gridX + c * cellSize + cellSize / 2;
                    if (l.rotateColumns) {
                        AffineTransform saved = g.getTransform();
                        g.translate(cx + tm.getAscent() / 2 - 1, l.gridY - PAD / 2);
                        g.rotate(-Math.PI / 2);
                        g.drawString(s, 0, 0);
                        g.setTransform(saved);
                    } else {
                        g.drawString(s, cx - tm.stringWidth(s) / 2, l.gridY - PAD / 2 - tm.getDescent());
                    }
                }
            }
            // row labels, right-aligned next to the grid
            if (rowLabels != null) {
                for (int r = 0; r < rows; r++) {
                    String s = rowLabels[r];
                    int y = l.gridY + r * cellSize + (cellSize + tm.getAscent() - tm.getDescent()) / 2;
                    g.drawString(s, l.gridX - PAD / 2 - tm.stringWidth(s), y);
                }
            }
            // y label, rotated, centred on the grid
            if (yLabel != null) {
                g.setFont(LABEL_FONT);
                FontMetrics fm = g.getFontMetrics();
                AffineTransform saved = g.getTransform();
                g.translate(PAD + fm.getAscent(), l.gridY + (gridH + fm.stringWidth(yLabel)) / 2.0);
                g.rotate(-Math.PI / 2);
                g.drawString(yLabel, 0, 0);
                g.setTransform(saved);
            }
            // cells with their values
            g.setFont(CELL_FONT);
            FontMetrics cm = g.getFontMetrics();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    Color color = color(values[r][c], range[0], range[1]);
                    int x = l.gridX + c * cellSize;
                    int y = l.gridY + r * cellSize;
                    g.setColor(color);
                    g.fillRect(x, y, cellSize, cellSize);
                    String s = cellText(r, c);
                    if (cm.stringWidth(s) <= cellSize - 2) {
                        g.setColor(luminance(color) < 0.5 ? Color.WHITE : Color.BLACK);
                        g.drawString(s, x + (cellSize - cm.stringWidth(s)) / 2,
                                y + (cellSize + cm.getAscent() - cm.getDescent()) / 2);
                    }
                }
            }
            g.setColor(new Color(200, 200, 200));
            g.setStroke(new BasicStroke(1f));
            for (int r = 0; r <= rows; r++) {
                g.drawLine(l.gridX, l.gridY + r * cellSize, l.gridX + gridW, l.gridY + r * cellSize);
            }
            for (int c = 0; c <= columns; c++) {
                g.drawLine(l.gridX + c * cellSize, l.gridY, l.gridX + c * cellSize, l.gridY + gridH);
            }
            // colour scale: a vertical bar, high at the top, with min, middle and max written next to it
            for (int y = 0; y < gridH; y++) {
                double v = range[1] - (range[1] - range[0]) * y / Math.max(1, gridH - 1);
                g.setColor(color(v, range[0], range[1]));
                g.drawLine(l.barX, l.gridY + y, l.barX + BAR_WIDTH - 1, l.gridY + y);
            }
            g.setColor(Color.GRAY);
            g.drawRect(l.barX, l.gridY, BAR_WIDTH - 1, gridH - 1);
            g.setColor(Color.BLACK);
            g.setFont(TICK_FONT);
            String[] texts = scaleTexts();
            int tx = l.barX + BAR_WIDTH + 6;
            g.drawString(texts[1], tx, l.gridY + tm.getAscent());
            g.drawString(texts[2], tx, l.gridY + gridH / 2 + (tm.getAscent() - tm.getDescent()) / 2);
            g.drawString(texts[0], tx, l.gridY + gridH - tm.getDescent());
            if (scaleLabel != null) {
                g.drawString(scaleLabel, l.barX, l.gridY - PAD / 2 - tm.getDescent());
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Relative luminance 0 (black) to 1 (white), Rec. 709 weights on the sRGB values. */
    static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    @Override
    public String toString() {
        return "Heatmap[" + rows + " x " + columns + (title == null ? "" : ", " + title) + "]";
    }
}
