package descent.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The guard collects garbage before its limit: a fresh JVM (so that JavaCPP reads the threshold the guard sets) with
 * a guard limit 700 MB above its resident set allocates 3 GB of 64 MB ND4J arrays, each dropped at once. Without
 * the guard's collections nothing frees them before JavaCPP's own threshold, 256 MB above the limit; with them, the
 * peak stays below the limit.
 */
class MemoryGuardCollectionTest {

    @Test
    void garbageArraysNeverPushTheResidentSetToTheLimit() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String out;
        try {
            assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child did not finish within 3 minutes");
            out = new String(child.getInputStream().readAllBytes());
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), out);
        String line = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        long limit = Long.parseLong(f[1]), peak = Long.parseLong(f[2]), collections = Long.parseLong(f[3]);
        assertTrue(collections > 0, "the guard collected nothing: " + line);
        assertTrue(peak < limit, String.format("peak resident set %d MB reached the guard's limit %d MB (%d collections)",
                peak >> 20, limit >> 20, collections));
    }

    /** Prints "RESULT limit peak collections" (bytes). */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            long limit = MemoryGuard.rssBytes() + (700L << 20);
            MemoryGuard.alignJavacppWith(limit);          // before ND4J loads
            MemoryGuard.start(limit);
            long peak = 0;
            for (int i = 0; i < 48; i++) {
                INDArray garbage = Nd4j.create(DataType.FLOAT, 16, 1024, 1024);   // 64 MB, dropped at once
                garbage.assign(1);
                peak = Math.max(peak, MemoryGuard.rssBytes());
                Thread.sleep(60);                          // the guard looks every 50 ms
            }
            System.out.println("RESULT " + limit + " " + peak + " " + MemoryGuard.collections());
        }
    }
}
