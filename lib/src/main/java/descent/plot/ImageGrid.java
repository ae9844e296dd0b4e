package descent.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of images {@code [N, C, H, W]} (C = 1: grayscale, C = 3: RGB) drawn as a grid, with an optional title
 * and a caption under each image.
 *
 * <pre>{@code
 * ImageGrid.of(batch)                         // [N, C, H, W], any floating type
 *          .title("Augmented training images")
 *          .captions(labels)                  // one per image
 *          .columns(8)
 *          .range(0, 1)                       // values mapped to black..white; default: min..max of the batch
 * }</pre>
 *
 * Pixel values map linearly to intensity, {@code v -> (v - lo) / (hi - lo)}, clipped to [0, 1], with one
 * {@code [lo, hi]} for the whole batch, so images can be compared with each other; by default lo and hi are
 * the smallest and largest value in the batch. Each image pixel becomes a {@code scale x scale} square (nearest
 * neighbour, no smoothing); by default the scale makes an image about 64 pixels on its longer side.
 * Channels-last data ({@code [N, H, W, C]}) goes through {@link #ofChannelsLast(INDArray)}.
 * A notebook cell whose value is an {@code ImageGrid} shows it as a PNG.
 */
public final class ImageGrid implements Renderable {

    /** Most images one grid draws. */
    public static final int MAX_IMAGES = 400;

    private static final int PAD = 6;
    private static final Font TITLE_FONT = Style.TITLE;
    private static final Font CAPTION_FONT = Style.LEGEND;

    private final double[] pixels; // [N, C, H, W] in C order
    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private String title;
    private String[] captions;
    private int columns;
    private int scale;
    private Double lo;
    private Double hi;

    private ImageGrid(INDArray images) {
        if (images == null) {
            throw new IllegalArgumentException("ImageGrid: images must not be null");
        }
        if (images.rank() != 4) {
            throw new IllegalArgumentException("ImageGrid: expected images [N, C, H, W], got shape "
                    + Arrays.toString(images.shape()));
        }
        if (!images.dataType().isFPType()) {
            throw new IllegalArgumentException("ImageGrid: images must be floating-point, got " + images.dataType());
        }
        long[] s = images.shape();
        if (s[1] != 1 && s[1] != 3) {
            throw new IllegalArgumentException("ImageGrid: expected 1 (grayscale) or 3 (RGB) channels on axis 1, got "
                    + "shape " + Arrays.toString(s) + " (channels-last data: use ImageGrid.ofChannelsLast)");
        }
        if (s[0] < 1 || s[2] < 1 || s[3] < 1) {
            throw new IllegalArgumentException("ImageGrid: no image to draw in shape " + Arrays.toString(s));
        }
        if (s[0] > MAX_IMAGES) {
            throw new IllegalArgumentException("ImageGrid: at most " + MAX_IMAGES + " images per grid, got " + s[0]
                    + "; pass a slice");
        }
        this.n = (int) s[0];
        this.c = (int) s[1];
        this.h = (int) s[2];
        this.w = (int) s[3];
        this.pixels = images.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < pixels.length; i++) {
            if (!Double.isFinite(pixels[i])) {
                int k = i / (c * h * w);
                throw new IllegalArgumentException("ImageGrid: image " + k + " has a non-finite value " + pixels[i]);
            }
        }
        this.columns = Math.min(n, 8);
        this.scale = Math.max(1, (int) Math.round(64.0 / Math.max(h, w)));
    }

    /** A grid of {@code images} [N, C, H, W] with C = 1 or 3; the values are copied. */
    public static ImageGrid of(INDArray images) {
        return new ImageGrid(images);
    }

    /** A grid of channels-last {@code images} [N, H, W, C] with C = 1 or 3 (e.g. a {@code descent.nn} batch). */
    public static ImageGrid ofChannelsLast(INDArray images) {
        if (images == null || images.rank() != 4) {
            throw new IllegalArgumentException("ImageGrid: expected channels-last images [N, H, W, C], got "
                    + (images == null ? "null" : "shape " + Arrays.toString(images.shape())));
        }
        return new ImageGrid(images.permute(0, 3, 1, 2));
    }

    /** A title above the grid. */
    public ImageGrid title(String title) {
        this.title = title;
        return this;
    }

    /** One caption per image, in order. */
    public ImageGrid captions(String... captions) {
        if (captions == null || captions.length != n) {
            throw new IllegalArgumentException("ImageGrid: " + n + " images need " + n + " captions, got "
                    + (captions == null ? "null" : captions.length));
        }
        this.captions = captions.clone();
        return this;
    }

    /** One caption per image, in order. */
    public ImageGrid captions(List<String> captions) {
        return captions(captions == null ? null : captions.toArray(new String[0]));
    }

    /** Images per row, at least 1 (default: min(N, 8)). */
    public ImageGrid columns(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("ImageGrid: columns must be >= 1, got " + columns);
        }
        this.columns = Math.min(columns, n);
        return this;
    }

    /** Screen pixels per image pixel, 1 to 64 (default: about 64 / max(H, W)). */
    public ImageGrid scale(int scale) {
        if (scale < 1 || scale > 64) {
            throw new IllegalArgumentException("ImageGrid: scale must be in 1..64, got " + scale);
        }
        this.scale = scale;
        return this;
    }

    /** Maps {@code lo} to black and {@code hi} to full intensity; values outside are clipped. */
    public ImageGrid range(double lo, double hi) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new IllegalArgumentException("ImageGrid: range needs finite lo < hi, got " + lo + " .. " + hi);
        }
        this.lo = lo;
        this.hi = hi;
        return this;
    }

    public int size() {
        return n;
    }

    /** The value range drawn: the one given to {@link #range}, or min..max of the batch. */
    public double[] valueRange() {
        if (lo != null) {
            return new double[] {lo, hi};
        }
        double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY;
        for (double v : pixels) {
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        return mn < mx ? new double[] {mn, mx} : new double[] {mn - 0.5, mn + 0.5}; // constant batch: mid-gray
    }

    private int rows() {
        return (n + columns - 1) / columns;
    }

    private int cellWidth(FontMetrics captionMetrics) {
        int widest = w * scale;
        if (captions != null) {
            for (String s : captions) {
                widest = Math.max(widest, captionMetrics.stringWidth(s == null ? "" : s));
            }
        }
        return widest;
    }

    private static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private int titleHeight() {
        return title == null || title.isBlank() ? 0 : metrics(TITLE_FONT).getHeight() + PAD;
    }

    private int captionHeight() {
        return captions == null ? 0 : metrics(CAPTION_FONT).getHeight() + 2;
    }

    /** Sizes of the picture, computed once per drawing. */
    private record Layout(int cellW, int cellH, int titleH, int gridW, int width, int height, int offsetX) {
    }

    private Layout layout() {
        int cellW = cellWidth(metrics(CAPTION_FONT));
        int cellH = h * scale + captionHeight();
        int gridW = PAD + columns * (cellW + PAD);
        int titleH = titleHeight();
        int width = Math.max(gridW, titleH == 0 ? 0 : metrics(TITLE_FONT).stringWidth(title) + 2 * PAD);
        int height = PAD + titleH + rows() * (cellH + PAD);
        return new Layout(cellW, cellH, titleH, gridW, width, height, (width - gridW) / 2);
    }

    private Point origin(Layout l, int k) {
        int col = k % columns, row = k / columns;
        int x = l.offsetX + PAD + col * (l.cellW + PAD) + (l.cellW - w * scale) / 2;
        int y = PAD + l.titleH + row * (l.cellH + PAD);
        return new Point(x, y);
    }

    /** Top-left corner of image k's pixels in {@link #image()}. */
    Point origin(int k) {
        return origin(layout(), k);
    }

    @Override
    public BufferedImage image() {
        Layout l = layout();
        FontMetrics cm = metrics(CAPTION_FONT);
        BufferedImage img = new BufferedImage(l.width, l.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, l.width, l.height);
            g.setColor(Color.BLACK);
            if (l.titleH > 0) {
                g.setFont(TITLE_FONT);
                FontMetrics tm = g.getFontMetrics();
                g.drawString(title, (l.width - tm.stringWidth(title)) / 2, PAD + tm.getAscent());
            }
            double[] r = valueRange();
            g.setFont(CAPTION_FONT);
            for (int k = 0; k < n; k++) {
                Point o = origin(l, k);
                drawImage(img, k, o.x, o.y, r[0], r[1]);
                g.setColor(new Color(190, 190, 190));
                g.drawRect(o.x - 1, o.y - 1, w * scale + 1, h * scale + 1);
                if (captions != null && captions[k] != null) {
                    g.setColor(Color.BLACK);
                    int tx = o.x + (w * scale - cm.stringWidth(captions[k])) / 2;
                    g.drawString(captions[k], tx, o.y + h * scale + 1 + cm.getAscent());
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private void drawImage(BufferedImage img, int k, int x0, int y0, double lo, double hi) {
        int plane = h * w;
        int base = k * c * plane;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int rgb;
                if (c == 1) {
                    int v = level(pixels[base + i * w + j], lo, hi);
                    rgb = (v << 16) | (v << 8) | v;
                } else {
                    int rr = level(pixels[base + i * w + j], lo, hi);
                    int gg = level(pixels[base + plane + i * w + j], lo, hi);
                    int bb = level(pixels[base + 2 * plane + i * w + j], lo, hi);
                    rgb = (rr << 16) | (gg << 8) | bb;
                }
                for (int di = 0; di < scale; di++) {
                    for (int dj = 0; dj < scale; dj++) {
                        img.setRGB(x0 + j * scale + dj, y0 + i * scale + di, rgb);
                    }
                }
            }
        }
    }

    /** (v - lo) / (hi - lo) clipped to [0, 1], as 0..255. */
    static int level(double v, double lo, double hi) {
        double t = (v - lo) / (hi - lo);
        return (int) Math.round(255 * Math.max(0, Math.min(1, t)));
    }

    @Override
    public String toString() {
        return "ImageGrid[" + n + " x " + c + " x " + h + " x " + w + (title == null ? "" : ", " + title) + "]";
    }
}
