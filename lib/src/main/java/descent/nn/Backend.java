package descent.nn;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Thread count and native-helper switches of the ND4J CPU backend.
 *
 * <p>On a small machine the thread count matters a lot: libnd4j, OpenBLAS and oneDNN run OpenMP regions whose
 * threads spin while waiting, so more threads than free cores (e.g. while another process compiles) can make a
 * tiny op 20x slower. {@code OMP_NUM_THREADS} set before the JVM starts is the most reliable; {@link #setThreads}
 * changes it at run time for the calling thread's later ops.
 */
public final class Backend {

    private Backend() {
    }

    /**
     * Threads for the Java-side loops ({@link #parallelFor}); 0 = the common fork-join pool. Default 1: right after
     * an ND4J op its OpenMP and OpenBLAS threads may still spin, and a parallel Java loop competes with them for the
     * cores. Measured (2 cores, batch 128, with an earlier, per-element im2col): the first convolution's im2col
     * alone took 4.2–5.7 ms on one thread and about 8 ms on two; in a whole training step of the seed CNN the
     * difference was within noise (medians 52.9 vs 53.5 ms, {@code StepMicrobench --variants
     * descent-par-im2col,descent --reps 9}), so the simpler choice stays.
     */
    private static volatile int javaThreads = 1;
    private static volatile ForkJoinPool pool;

    /**
     * Uses {@code n} threads for libnd4j's loops, OpenMP regions (oneDNN) and OpenBLAS, from this thread on. The few
     * loops this library runs in Java (im2col of the first convolution) stay on the calling thread unless
     * {@link #setJavaThreads} says otherwise (see the field's comment for why).
     */
    public static synchronized void setThreads(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("thread count must be > 0, got " + n);
        }
        Nd4j.getEnvironment();   // make sure the backend is loaded
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.factory().blas().setMaxThreads(n);
    }

    /** Uses {@code n} threads for the loops this library runs in Java only (1 = on the calling thread). */
    public static synchronized void setJavaThreads(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("thread count must be > 0, got " + n);
        }
        if (n > 1 && (pool == null || pool.getParallelism() != n)) {
            ForkJoinPool old = pool;
            pool = new ForkJoinPool(n);
            if (old != null) {
                old.shutdown();
            }
        }
        javaThreads = n;
    }

    /** Runs {@code body(0) ... body(n-1)}, in parallel on the threads set by {@link #setThreads}. */
    static void parallelFor(int n, IntConsumer body) {
        int threads = javaThreads;
        ForkJoinPool p = pool;
        if (threads == 1 || n < 2) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
        } else if (p == null) {
            IntStream.range(0, n).parallel().forEach(body);
        } else {
            p.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        }
    }

    /** libnd4j's current maximum thread count. */
    public static int threads() {
        return Nd4j.getEnvironment().maxThreads();
    }

    /** Whether libnd4j may use its platform helpers (oneDNN kernels). */
    public static boolean helpersAllowed() {
        return Nd4j.getEnvironment().helpersAllowed();
    }

    /** Allows or forbids the platform helpers (oneDNN); forbidding them falls back to libnd4j's generic loops. */
    public static void allowHelpers(boolean allowed) {
        Nd4j.getEnvironment().allowHelpers(allowed);
    }

    /** One line: backend, BLAS, threads, helpers. */
    public static String describe() {
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        return "ND4J " + env.getProperty("backend") + ", BLAS " + env.getProperty("blas.vendor") + ", threads "
                + threads() + ", oneDNN helpers " + (helpersAllowed() ? "allowed" : "off");
    }
}
