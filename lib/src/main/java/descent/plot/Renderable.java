package descent.plot;

import java.awt.image.BufferedImage;

/**
 * Anything that draws itself as a picture. In a notebook, a cell whose value is {@code Renderable} shows as an
 * inline PNG (see {@link descent.plot.display.DescentDisplayProvider}).
 */
public interface Renderable {
    /** Draws the picture. */
    BufferedImage image();
}
