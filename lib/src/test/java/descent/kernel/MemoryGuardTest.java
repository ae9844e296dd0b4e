package descent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The limit's parsing and the automatic default; the guard itself is tested through a kernel (MemoryLimitTest). */
class MemoryGuardTest {

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
    void automaticLimitLeavesHalfAGigabyteOfWhatThisMachineAllows() {
        long available = MemoryGuard.availableBytes();
        assertTrue(available > 0, "/proc/meminfo is readable on Linux");
        assertEquals(Math.max(256L << 20, available - MemoryGuard.RESERVE), MemoryGuard.configuredLimit());
        assertTrue(MemoryGuard.rssBytes() > 10L << 20, "this JVM's resident set: " + MemoryGuard.rssBytes());
    }
}
