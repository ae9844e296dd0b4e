package descent.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Several pictures side by side in one image, row by row, under an optional common title; for a notebook cell
 * that should show e.g. one optimizer on four test functions.
 *
 * <pre>{@code
 * PlotGrid.of(2, quadraticPlot, rosenbrockPlot, bealePlot, saddlePlot).title("Adam on four surfaces")
 * }</pre>
 *
 * Cells may be {@link Renderable}s or XChart charts; each cell is as large as the largest picture.
 */
public final class PlotGrid implements Renderable {

    private final int columns;
    private final List<Object> cells;
    private String title;

    private PlotGrid(int columns, List<Object> cells) {
        this.columns = columns;
        this.cells = cells;
    }

    /** A grid with {@code columns} columns of the given pictures ({@link Renderable} or XChart charts). */
    public static PlotGrid of(int columns, Object... pictures) {
        if (columns < 1) {
            throw new IllegalArgumentException("a plot grid needs at least 1 column, got " + columns);
        }
        if (pictures == null || pictures.length == 0) {
            throw new IllegalArgumentException("a plot grid needs at least one picture");
        }
        List<Object> cells = new ArrayList<>();
        for (int i = 0; i < pictures.length; i++) {
            Object p = pictures[i];
            if (!(p instanceof Renderable) && !(p instanceof Chart<?, ?>)) {
                throw new IllegalArgumentException("plot grid cell " + i + " is "
                        + (p == null ? "null" : "a " + p.getClass().getName())
                        + "; expected a descent.plot.Renderable or an XChart chart");
            }
            cells.add(p);
        }
        return new PlotGrid(columns, cells);
    }

    /** A title above the whole grid. */
    public PlotGrid title(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a plot grid title must not be blank");
        }
        this.title = title;
        return this;
    }

    @Override
    public BufferedImage image() {
        List<BufferedImage> images = new ArrayList<>();
        int cw = 0;
        int ch = 0;
        for (Object c : cells) {
            BufferedImage im = c instanceof Renderable r ? r.image()
                    : BitmapEncoder.getBufferedImage((Chart<?, ?>) c);
            images.add(im);
            cw = Math.max(cw, im.getWidth());
            ch = Math.max(ch, im.getHeight());
        }
        int cols = Math.min(columns, images.size());
        int rows = (images.size() + cols - 1) / cols;
        int head = title == null ? 0 : 34;
        BufferedImage out = new BufferedImage(cols * cw, head + rows * ch, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % cols) * cw, head + (i / cols) * ch, null);
        }
        if (title != null) {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(Style.GRID_TITLE);
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, Math.max(4, (out.getWidth() - fm.stringWidth(title)) / 2), 24);
        }
        g.dispose();
        return out;
    }

    @Override
    public String toString() {
        return "PlotGrid[" + cells.size() + " pictures, " + columns + " columns]";
    }
}
