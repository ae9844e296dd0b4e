package descent.plot.display;

import descent.plot.AnimatedGif;
import descent.plot.Renderable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.MimeType;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;
import tech.tablesaw.api.Table;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Plugs Descent into the rapaio Java kernel's display SPI (registered in
 * {@code META-INF/services/org.rapaio.jupyter.kernel.display.spi.DisplayProvider}):
 * <ul>
 *   <li>an XChart chart or any {@link Renderable} becomes a {@link BufferedImage}, which the kernel sends as
 *   {@code image/png};</li>
 *   <li>an {@link AnimatedGif} is sent as {@code image/gif} (base64), which Jupyter shows inline and playing;</li>
 *   <li>a Tablesaw {@link Table} is sent as {@code text/html} (see {@link TableHtml}) with a plain-text copy.</li>
 * </ul>
 * Outside that kernel this class is never loaded.
 */
public final class DescentDisplayProvider implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new TableRenderer(), new GifRenderer());
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of(new ChartToImage(), new RenderableToImage());
    }

    /** XChart chart → image. */
    static final class ChartToImage implements DisplayTransformer {
        @Override
        public boolean canTransform(Object o) {
            return o instanceof Chart<?, ?>;
        }

        @Override
        public Class<?> transformedClass() {
            return BufferedImage.class;
        }

        @Override
        public Object transform(Object o) {
            return BitmapEncoder.getBufferedImage((Chart<?, ?>) o);
        }
    }

    /** Descent picture → image. */
    static final class RenderableToImage implements DisplayTransformer {
        @Override
        public boolean canTransform(Object o) {
            return o instanceof Renderable;
        }

        @Override
        public Class<?> transformedClass() {
            return BufferedImage.class;
        }

        @Override
        public Object transform(Object o) {
            return ((Renderable) o).image();
        }
    }

    /** Animation → image/gif (base64) and a plain-text line for consoles. */
    static final class GifRenderer implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return AnimatedGif.class;
        }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.isEmpty() || mime.contains("gif") || mime.contains("image");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            AnimatedGif gif = (AnimatedGif) o;
            DisplayData data = DisplayData.withType(MimeType.GIF.longType(), gif.base64());
            data.putText(gif.toString());
            return data;
        }
    }

    /** Tablesaw table → HTML (and plain text for consoles). */
    static final class TableRenderer implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return Table.class;
        }

        @Override
        public boolean canRender(String mime) {
            return mime == null || mime.isEmpty() || mime.contains("html") || mime.contains("text");
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Table table = (Table) o;
            DisplayData data = DisplayData.withType(MimeType.HTML.longType(), TableHtml.html(table));
            data.putText(table.printAll().length() > 20_000 ? table.print() : table.printAll());
            return data;
        }
    }
}
