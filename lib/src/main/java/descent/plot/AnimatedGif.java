package descent.plot;

import com.madgag.gif.fmsware.AnimatedGifEncoder;
import com.madgag.gif.fmsware.NeuQuant;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.IntFunction;

/**
 * An animation: frames shown one after the other, looping, encoded as a GIF. In a notebook a cell whose value is
 * an {@code AnimatedGif} shows it inline and playing ({@code image/gif}, see
 * {@link descent.plot.display.DescentDisplayProvider}).
 *
 * <pre>{@code
 * AnimatedGif.of(30, k -> contour.upTo(10 * k)).delay(120).hold(1500)     // 30 frames, 0.12 s each, last held 1.5 s
 * }</pre>
 *
 * Frames may be {@link Renderable}s or images; all are drawn at the first frame's size. The encoding (animated-gif-lib,
 * 256 colours per frame) is made once, when first needed, and kept.
 */
public final class AnimatedGif {

    private final List<BufferedImage> frames;
    private int delayMs = 100;
    private int holdMs = -1;
    private byte[] encoded;

    private AnimatedGif(List<BufferedImage> frames) {
        this.frames = frames;
    }

    /** An animation of {@code count} frames; {@code frame.apply(k)} draws frame k = 0 … count − 1, in order. */
    public static AnimatedGif of(int count, IntFunction<?> frame) {
        if (count < 1) {
            throw new IllegalArgumentException("an animation needs at least 1 frame, got " + count);
        }
        if (frame == null) {
            throw new IllegalArgumentException("an animation needs a function that draws frame k");
        }
        List<BufferedImage> images = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            images.add(toImage(frame.apply(k), k));
        }
        return new AnimatedGif(images);
    }

    /** An animation of the given frames ({@link Renderable}s or {@link BufferedImage}s), in order. */
    public static AnimatedGif of(List<?> frames) {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("an animation needs at least 1 frame");
        }
        return of(frames.size(), frames::get);
    }

    private static BufferedImage toImage(Object o, int k) {
        if (o instanceof BufferedImage b) {
            return b;
        }
        if (o instanceof Renderable r) {
            return r.image();
        }
        throw new IllegalArgumentException("animation frame " + k + " is "
                + (o == null ? "null" : "a " + o.getClass().getName()) + "; expected a Renderable or a BufferedImage");
    }

    /** How long each frame shows, in milliseconds (default 100; GIF counts in hundredths of a second). */
    public AnimatedGif delay(int milliseconds) {
        if (milliseconds < 20) {
            throw new IllegalArgumentException("frame delay must be at least 20 ms (browsers slow faster GIFs down), got "
                    + milliseconds);
        }
        this.delayMs = milliseconds;
        this.encoded = null;
        return this;
    }

    /** How long the last frame stays before the animation starts again, in milliseconds (default: one delay). */
    public AnimatedGif hold(int milliseconds) {
        if (milliseconds < 20) {
            throw new IllegalArgumentException("hold must be at least 20 ms, got " + milliseconds);
        }
        this.holdMs = milliseconds;
        this.encoded = null;
        return this;
    }

    /** The number of frames. */
    public int frames() {
        return frames.size();
    }

    /** The frame k as drawn (before the GIF's 256-colour quantization). */
    public BufferedImage frame(int k) {
        return frames.get(k);
    }

    /**
     * The GIF file's bytes, looping forever. The first frame is stored whole; every later frame stores only the
     * pixels that differ from the frame before (the others are transparent and the previous frame stays, GIF
     * disposal 1), with a palette made from those pixels: an animation of paths growing on a fixed background is a
     * few KB per frame instead of tens.
     */
    public byte[] bytes() {
        if (encoded == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DeltaEncoder e = new DeltaEncoder();
            e.start(out);
            e.setRepeat(0);
            e.setQuality(10);
            int w = frames.get(0).getWidth();
            int h = frames.get(0).getHeight();
            e.setSize(w, h);
            e.setDispose(1);
            BufferedImage previous = null;
            for (int k = 0; k < frames.size(); k++) {
                BufferedImage frame = rgb(frames.get(k), w, h);
                e.setDelay(k == frames.size() - 1 && holdMs > 0 ? holdMs : delayMs);
                e.unchanged = previous == null ? null : unchanged(previous, frame);
                e.addFrame(frame);
                previous = frame;
            }
            e.finish();
            encoded = out.toByteArray();
        }
        return encoded.clone();
    }

    /** Per pixel (row by row): whether it has the same colour in both frames. */
    private static boolean[] unchanged(BufferedImage a, BufferedImage b) {
        int w = a.getWidth();
        int h = a.getHeight();
        int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
        int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
        boolean[] same = new boolean[pa.length];
        for (int i = 0; i < pa.length; i++) {
            same[i] = pa[i] == pb[i];
        }
        return same;
    }

    /**
     * animated-gif-lib's encoder, with one change: where {@link #unchanged} is set, the palette is learnt from the
     * changed pixels only, and the unchanged ones get a palette entry no changed pixel uses, marked transparent.
     */
    private static final class DeltaEncoder extends AnimatedGifEncoder {
        boolean[] unchanged;

        @Override
        protected void analyzePixels() {
            if (unchanged == null) {
                transparent = null;
                super.analyzePixels();
                return;
            }
            int nPix = pixels.length / 3;
            int changed = 0;
            for (boolean same : unchanged) {
                changed += same ? 0 : 1;
            }
            byte[] learn;
            if (changed == 0) {
                learn = new byte[] {pixels[0], pixels[1], pixels[2]};
            } else {
                learn = new byte[3 * changed];
                for (int i = 0, j = 0; i < nPix; i++) {
                    if (!unchanged[i]) {
                        System.arraycopy(pixels, 3 * i, learn, j, 3);
                        j += 3;
                    }
                }
            }
            // at most 255 distinct colours changed (paths, markers, a title): an exact palette; else NeuQuant's
            java.util.Map<Integer, Integer> exact = new java.util.LinkedHashMap<>();
            for (int j = 0; j < learn.length && exact.size() <= 255; j += 3) {
                exact.putIfAbsent((learn[j] & 0xff) | (learn[j + 1] & 0xff) << 8 | (learn[j + 2] & 0xff) << 16, exact.size());
            }
            NeuQuant nq = null;
            if (exact.size() <= 255) {
                colorTab = new byte[3 * 256];
                for (var c : exact.entrySet()) { // key holds b | g << 8 | r << 16; the table is RGB
                    colorTab[3 * c.getValue()] = (byte) (c.getKey() >> 16);
                    colorTab[3 * c.getValue() + 1] = (byte) (c.getKey() >> 8);
                    colorTab[3 * c.getValue() + 2] = (byte) (int) c.getKey();
                }
            } else {
                nq = new NeuQuant(learn, learn.length, 1);
                colorTab = nq.process();
                for (int i = 0; i < colorTab.length; i += 3) { // BGR -> RGB
                    byte t = colorTab[i];
                    colorTab[i] = colorTab[i + 2];
                    colorTab[i + 2] = t;
                }
            }
            java.util.Arrays.fill(usedEntry, false);
            indexedPixels = new byte[nPix];
            for (int i = 0; i < nPix; i++) {
                if (!unchanged[i]) {
                    int b = pixels[3 * i] & 0xff;
                    int g = pixels[3 * i + 1] & 0xff;
                    int r = pixels[3 * i + 2] & 0xff;
                    int index = nq == null ? exact.get(b | g << 8 | r << 16) : nq.map(b, g, r);
                    usedEntry[index] = true;
                    indexedPixels[i] = (byte) index;
                }
            }
            int free = -1;
            for (int i = 0; i < 256 && free < 0; i++) {
                free = usedEntry[i] ? -1 : i;
            }
            if (free < 0) { // every entry is used by a changed pixel: store the whole frame
                unchanged = null;
                transparent = null;
                super.analyzePixels();
                return;
            }
            for (int i = 0; i < nPix; i++) {
                if (unchanged[i]) {
                    indexedPixels[i] = (byte) free;
                }
            }
            pixels = null;
            colorDepth = 8;
            palSize = 7;
            transparent = Color.MAGENTA; // only switches the transparency flag on; the index is transIndex
            transIndex = free;
        }
    }

    /** The GIF as base64 text: what a notebook stores under {@code image/gif}. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes());
    }

    /** Writes the GIF file. */
    public Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    /** The frame as 3-byte BGR at the animation's size (what the encoder reads), on white where it is smaller. */
    private static BufferedImage rgb(BufferedImage src, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        var g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }

    @Override
    public String toString() {
        BufferedImage f = frames.get(0);
        return "AnimatedGif[" + frames.size() + " frames, " + f.getWidth() + "x" + f.getHeight() + ", "
                + (encoded == null ? "not encoded yet" : (encoded.length / 1024) + " KB") + "]";
    }
}
