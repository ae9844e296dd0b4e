package descent.nn;

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
     * Uses {@code n} threads for libnd4j's loops, OpenMP regions (oneDNN) and OpenBLAS, from this thread on. The few
     * loops this library runs in Java (im2col of the first convolution) stay on the calling thread: right after an
     * ND4J op its OpenMP and OpenBLAS threads may still spin, and a parallel Java loop competes with them for the
     * cores. Measured (2 cores, batch 128): a whole training step of the seed CNN took the same time either way
     * (medians 52.9 vs 53.5 ms with StepMicrobench, when it still had a parallel-im2col variant).
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
                + threads() + ", oneDNN helpers " + (helpersAllowed() ? "allowed" : "off") + ", FLOAT convolutions "
                + convolutions();
    }

    /** Which path FLOAT convolutions take here ({@link OneDnnConv} or libnd4j's conv2d) and why. */
    public static String convolutions() {
        return OneDnnConv.describe();
    }

    /**
     * The attainable FP32 matrix-product rate: the best GFLOP/s ({@code 2 n^3} per product) of {@code C = A B} for
     * square float matrices of size n (ND4J's gemm: OpenBLAS here) over about {@code seconds} of repetitions after a
     * warm-up, at the current thread count. Large n (1024, 2048) comes close to the hardware's peak (cores x clock x
     * vector lanes x 2 per fused multiply-add); it is the yardstick a network's achieved GFLOP/s is compared with.
     */
    public static double sgemmGflops(int n, double seconds) {
        if (n < 1 || !(seconds > 0)) {
            throw new IllegalArgumentException("sgemmGflops needs n >= 1 and seconds > 0, got n=" + n + " seconds="
                    + seconds);
        }
        org.nd4j.linalg.api.ndarray.INDArray a = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        org.nd4j.linalg.api.ndarray.INDArray b = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        org.nd4j.linalg.api.ndarray.INDArray c = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double best = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int reps = 0;
        while (System.nanoTime() < end || reps < 3) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * n * n / s / 1e9);
            reps++;
        }
        return best;
    }
}
