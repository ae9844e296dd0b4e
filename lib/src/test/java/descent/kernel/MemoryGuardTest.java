package descent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The limit's parsing and the automatic default; the guard itself is tested through a kernel (MemoryLimitTest). */
class MemoryGuardTest {

    @Test
    void aForceStopMeantForOneCellNeverReachesTheNext() throws Exception {
        MemoryGuard.cellStarted();
        long tripped = MemoryGuard.cellNumber();
        MemoryGuard.cellStarted();                     // the tripped cell ended; the next one starts
        Thread next = REPL.FakeCell.start();
        try {
            assertNull(MemoryGuard.forceStopIfStillRunning(tripped), "the stop was for the cell before");
            Thread.sleep(100);
            assertTrue(next.isAlive(), "the next cell runs on");
            // a stop for the running cell still stops it
            assertEquals("second stop: 1 cell thread(s) force-stopped",
                    MemoryGuard.forceStopIfStillRunning(MemoryGuard.cellNumber()));
            next.join(5000);
            assertFalse(next.isAlive());
            assertNull(MemoryGuard.forceStopIfStillRunning(MemoryGuard.cellNumber()), "no cell runs: nothing to stop");
        } finally {
            REPL.FakeCell.finish();
            next.join(5000);
            descent.Interrupts.clear();
        }
    }

    @Test
    void sizesInBytesOrWithSuffixes() {
        assertEquals(1536L << 20, MemoryGuard.parseBytes("1536m"));
        assertEquals(2L << 30, MemoryGuard.parseBytes(" 2G "));
        assertEquals(900_000_000L, MemoryGuard.parseBytes("900000000"));
        assertEquals(0, MemoryGuard.parseBytes("0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryGuard.parseBytes("lots"));
        assertTrue(e.getMessage().contains("'lots' is not a size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryGuard.parseBytes("-5m"));
    }

    @Test
    void theGuardCollectsBelowItsLimitAndJavacppStopsAboveIt() {
        assertEquals(1280L << 20, MemoryGuard.collectionStart(1536L << 20), "Binder: collect from 1.5 GB less 256 MB");
        assertEquals(128L << 20, MemoryGuard.collectionStart(300L << 20), "never below 128 MB");
        assertEquals(1792L << 20, MemoryGuard.javacppThreshold(1536L << 20), "JavaCPP's last resort: 256 MB above");
        assertEquals(0, MemoryGuard.javacppThreshold(0), "guard off: JavaCPP's own default");
        String old = System.getProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL);
        try {
            System.clearProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL);
            assertEquals(1792L << 20, MemoryGuard.alignJavacppWith(1536L << 20));
            assertEquals(Long.toString(1792L << 20), System.getProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL));
            System.setProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL, "3g");        // set by DESCENT_KERNEL_OPTS
            assertEquals(0, MemoryGuard.alignJavacppWith(1536L << 20));
            assertEquals("3g", System.getProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL), "the JVM options win");
        } finally {
            if (old == null) {
                System.clearProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL);
            } else {
                System.setProperty(MemoryGuard.JAVACPP_MAX_PHYSICAL, old);
            }
        }
    }

    @Test
    void automaticLimitLeavesHalfAGigabyteOfWhatThisMachineAllows() {
        long available = MemoryGuard.availableBytes();
        assertTrue(available > 0, "/proc/meminfo is readable on Linux");
        assertEquals(Math.max(256L << 20, available - MemoryGuard.RESERVE), MemoryGuard.configuredLimit());
        assertTrue(MemoryGuard.rssBytes() > 10L << 20, "this JVM's resident set: " + MemoryGuard.rssBytes());
    }
}
