package descent.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import org.junit.jupiter.api.Test;

/** The pieces of {@link Style} that the Java2D pictures share: number text, round ticks, viridis. */
class StyleTest {

    @Test
    void numberFormat() {
        assertEquals("2490", Style.format(2490.4));
        assertEquals("2.5e4", Style.format(24900));
        assertEquals("6.7e-3", Style.format(0.0067));
        assertEquals("1e-4", Style.format(1e-4));
        assertEquals("0.35", Style.format(0.35));
        assertEquals("17.9", Style.format(17.94));
        assertEquals("-1.5", Style.format(-1.5));
        assertEquals("0", Style.format(0));
    }

    @Test
    void niceTicks() {
        assertArrayEquals(new double[] {-2, -1, 0, 1, 2}, Style.niceTicks(-2, 2, 4), 1e-12);
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1, 1.5}, Style.niceTicks(-1.2, 1.7, 6), 1e-12);
        assertArrayEquals(new double[] {3}, Style.niceTicks(3, 3, 5), 0);
    }

    @Test
    void viridisRunsFromDarkPurpleToYellow() {
        assertEquals(new Color(0x440154), Style.viridis(0));
        assertEquals(new Color(0xfde725), Style.viridis(1));
        assertEquals(new Color(0xfde725), Style.viridis(7), "clamped");
    }
}
