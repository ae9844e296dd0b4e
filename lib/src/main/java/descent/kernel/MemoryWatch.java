package descent.kernel;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/**
 * Peak memory of the kernel process, for {@code ./descent bench memory}: the Java heap's peak (the JVM's own
 * per-pool peak usage, summed over heap pools), and, sampled every few milliseconds by a daemon thread, the peak of
 * the off-heap bytes JavaCPP counts ({@link Pointer#totalBytes()}, what {@code -Dorg.bytedeco.javacpp.maxbytes}
 * limits) and of the process's resident memory as JavaCPP reads it ({@link Pointer#physicalBytes()}). The kernel
 * starts it when {@code DESCENT_MEMORY_WATCH} is set; the harness asks for {@link #json()} after the last cell.
 *
 * <p>Measured (ND4J 1.0.0-M2.1, CPU backend): ND4J's array buffers are not among the bytes JavaCPP counts (two
 * 2000×2000 float arrays: JavaCPP total 480 bytes, resident memory +32 MB), nor in ND4J's own
 * {@code AllocationsTracker} or {@code MemoryManager.allocatedMemory}. So {@code maxbytes} does not limit them, and
 * {@code maxphysicalbytes} is only checked when something JavaCPP counts is allocated; the resident-memory peak is
 * the number that says how close a notebook comes to a container's limit.
 */
public final class MemoryWatch {
    private static volatile long javacppPeak;
    private static volatile long physicalPeak;
    private static volatile Thread sampler;

    private MemoryWatch() {
    }

    /** Starts sampling every {@code periodMillis} (once; later calls do nothing). */
    public static synchronized void start(long periodMillis) {
        if (sampler != null) {
            return;
        }
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                sample();
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "descent-memory-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Takes one sample now. */
    public static void sample() {
        javacppPeak = Math.max(javacppPeak, Pointer.totalBytes());
        physicalPeak = Math.max(physicalPeak, Pointer.physicalBytes());
    }

    /** The Java heap's peak use so far, in bytes (sum of each heap pool's peak, as the JVM records it). */
    public static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** {@code {"heap_peak_mb":…,"javacpp_peak_mb":…,"physical_peak_mb":…}}, after one more sample. */
    public static String json() {
        sample();
        return String.format(Locale.ROOT, "{\"heap_peak_mb\":%.1f,\"javacpp_peak_mb\":%.1f,\"physical_peak_mb\":%.1f}",
                heapPeakBytes() / 1048576.0, javacppPeak / 1048576.0, physicalPeak / 1048576.0);
    }
}
