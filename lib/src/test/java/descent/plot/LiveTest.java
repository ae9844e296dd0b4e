package descent.plot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveTest {

    /** The Descent kernelspec starts descent.kernel.KernelMain, not rapaio's MainApp: both count as the kernel. */
    @Test
    void recognisesTheKernelUnderEitherLauncher() {
        String saved = System.getProperty("sun.java.command");
        try {
            System.setProperty("sun.java.command", "descent.kernel.KernelMain /tmp/kernel-1.json");
            assertTrue(Live.inKernel(), "Descent's launcher");
            System.setProperty("sun.java.command", "org.rapaio.jupyter.kernel.MainApp /tmp/kernel-1.json");
            assertTrue(Live.inKernel(), "rapaio's own launcher");
            System.setProperty("sun.java.command", "org.apache.maven.surefire.booter.ForkedBooter x");
            assertFalse(Live.inKernel(), "a plain JVM");
        } finally {
            if (saved == null) {
                System.clearProperty("sun.java.command");
            } else {
                System.setProperty("sun.java.command", saved);
            }
        }
    }
}
