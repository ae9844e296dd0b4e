package descent.nn;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The convolution of {@link Ops#conv2d} (NHWC, stride 1, square kernel, explicit zero padding, FLOAT) on oneDNN's
 * own library ({@code org.bytedeco:dnnl}, oneDNN 2.5), reading and writing the NHWC arrays in place:
 * <pre>
 *   forward:          y  = conv(x, w) + b
 *   backward data:    gx = conv_transpose(gy, w)
 *   backward weights: gw = sum over (n, i, j) of gy (x) x-patch,   gb = sum over (n, i, j) of gy
 * </pre>
 * Only the weights (at most a few MB) are reordered to and from the blocked layout oneDNN's kernels want.
 *
 * <p>Why beside libnd4j's {@code conv2d} (oneDNN 2.3, inside libnd4j): libnd4j's helper lets oneDNN choose the
 * activations' layout, gets a blocked one (8 or 16 channels per block), and so reorders every activation into it and
 * the result back on each call, the output gradient twice per backward pass. Measured on the speedrun's network
 * (batch 256, 2 threads, oneDNN limited to AVX2 on an Intel Xeon, {@code StepMicrobench --variants profile-fast}
 * with {@code DNNL_VERBOSE=1}): 185 ms of reorders in a 1.4 s step. oneDNN's AVX2 kernels work on NHWC directly
 * (as PyTorch's channels_last does), so this path has none. With AVX-512, libnd4j's backward pass uses oneDNN's
 * Winograd kernels (AVX-512 only), which beat this direct path where the input channels fill oneDNN's 16-channel
 * blocks; where they do not (the speedrun's 24 -> 64 layer: backward 130 ms through libnd4j, 101 ms here), this path
 * wins or ties. {@link #takes(long)} therefore chooses this path for every convolution where oneDNN finds no AVX-512,
 * and with AVX-512 for those whose input channels are not a multiple of 16.
 *
 * <p>Threads: oneDNN runs on the OpenMP runtime libnd4j loaded first (same {@code libgomp.so.1}), so
 * {@link Backend#setThreads} applies to both. Primitives are built once per shape and kept in a pool; a call takes
 * one out for its duration, so trials that train in parallel threads never share one (nor its scratchpad).
 */
final class OneDnnConv {

    /**
     * {@code -Ddescent.conv=onednn} (or the environment's {@code DESCENT_CONV=onednn}) sends every FLOAT convolution
     * here, {@code nd4j} none (and batch normalization to the layer's own array operations); default {@code auto}:
     * chosen by the CPU.
     */
    static final String PROPERTY = "descent.conv";

    enum Mode { AUTO, ONEDNN, ND4J }

    private static volatile Mode mode;
    private static String choice;
    /** oneDNN's effective ISA ({@code dnnl_get_effective_cpu_isa}), or -1 where its library does not load. */
    private static int isa;
    private static dnnl_engine engine;
    private static final Pool<Key, Plan> POOL = new Pool<>(key -> new Plan(key, engine()));

    private OneDnnConv() {
    }

    private static Mode mode() {
        Mode m = mode;
        if (m == null) {
            synchronized (OneDnnConv.class) {
                if (mode == null) {
                    String env = System.getenv("DESCENT_CONV");
                    String p = System.getProperty(PROPERTY, env == null || env.isBlank() ? "auto" : env.trim());
                    Mode chosen = switch (p) {
                        case "onednn" -> Mode.ONEDNN;
                        case "nd4j" -> Mode.ND4J;
                        case "auto" -> Mode.AUTO;
                        default -> throw new IllegalArgumentException("-D" + PROPERTY + " / DESCENT_CONV = '" + p
                                + "': unknown; valid: auto, onednn, nd4j");
                    };
                    choice = chosen == Mode.AUTO ? "chosen by the CPU" : "DESCENT_CONV=" + p;
                    try {
                        isa = chosen == Mode.ND4J ? -1 : dnnl_get_effective_cpu_isa();
                    } catch (LinkageError e) {   // no oneDNN library for this platform
                        if (chosen == Mode.ONEDNN) {
                            throw new IllegalStateException("DESCENT_CONV=onednn, but oneDNN's library does not load"
                                    + " here: " + e, e);
                        }
                        isa = -1;
                    }
                    mode = chosen;
                }
                m = mode;
            }
        }
        return m;
    }

    /** Whether oneDNN's library loaded and finds AVX-512 (its avx512_core: F, BW, VL, DQ) on this CPU. */
    private static boolean avx512() {
        return isa >= 0 && (isa & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;
    }

    /**
     * Whether {@link Ops#conv2d} and {@link Ops#conv2dBackward} run here (FLOAT only) for a convolution with this
     * many input channels: every one without AVX-512, with it those whose input channels are not a multiple of 16.
     */
    static boolean takes(long inChannels) {
        return takes(mode(), isa >= 0, avx512(), inChannels);
    }

    /** The rule of {@link #takes(long)}, given the mode and whether oneDNN's library loads and finds AVX-512. */
    static boolean takes(Mode mode, boolean loads, boolean avx512, long inChannels) {
        return switch (mode) {
            case ONEDNN -> true;
            case ND4J -> false;
            case AUTO -> loads && (!avx512 || inChannels % 16 != 0);
        };
    }

    /** Whether batch normalization in training runs on oneDNN ({@link OneDnnBatchNorm}): wherever its library loads. */
    static boolean normalizes() {
        return mode() != Mode.ND4J && isa >= 0;
    }

    /** Which path the FLOAT convolutions (and, with them, {@link OneDnnBatchNorm}) take and why, for logs. */
    static String describe() {
        Mode m = mode();
        String path;
        if (m == Mode.ND4J) {
            path = "through libnd4j";
        } else if (isa < 0) {
            path = "through libnd4j (oneDNN's own library does not load here)";
        } else if (m == Mode.AUTO && avx512()) {
            path = "through libnd4j, on oneDNN directly where the input channels are not a multiple of 16 (NHWC);"
                    + " batch normalization in training on oneDNN";
        } else {
            path = "on oneDNN directly (NHWC; batch normalization in training too)";
        }
        return path + ", " + choice;
    }

    /** Whether these arrays can be handed to oneDNN as they are: FLOAT, row-major and dense (nulls ignored). */
    static boolean accepts(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && (a.dataType() != DataType.FLOAT || !Layer.isDense(a))) {
                return false;
            }
        }
        return true;
    }

    static void forward(INDArray x, INDArray w, INDArray b, INDArray y, int k, int pad) {
        Key key = Key.of(x, w, b, k, pad);
        key.check("y", y, key.outShape());
        POOL.with(key, p -> p.forward(x, w, b, y));
    }

    static void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb, int k, int pad) {
        Key key = Key.of(x, w, gb, k, pad);
        key.check("gy", gy, key.outShape());
        key.check("gx", gx, x.shape());
        key.check("gw", gw, w.shape());
        POOL.with(key, p -> p.backward(x, w, gy, gx, gw, gb));
    }

    /**
     * Plans (primitives bound to their memories) per shape: a call takes one for its duration and then gives it back,
     * so threads that run the same shape at once (trials training in parallel) never share one, nor its scratchpad.
     */
    static final class Pool<K, P> {
        private final Map<K, Queue<P>> free = new ConcurrentHashMap<>();
        private final Function<K, P> build;

        Pool(Function<K, P> build) {
            this.build = build;
        }

        /** Runs {@code use} on a plan of this key (built when none is free), then returns the plan to the pool. */
        void with(K key, Consumer<P> use) {
            Queue<P> queue = free.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
            P plan = queue.poll();
            if (plan == null) {
                plan = build.apply(key);
            }
            try {
                use.accept(plan);
            } finally {
                queue.add(plan);
            }
        }
    }

    static synchronized dnnl_engine engine() {
        if (engine == null) {
            dnnl_engine e = new dnnl_engine();
            check(dnnl_engine_create(e, dnnl_cpu, 0), "engine");
            engine = e;
        }
        return engine;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    /**
     * A convolution's shape: batch, input size, channels, kernel, padding, bias. oneDNN reads and writes the arrays
     * by these numbers, so every array's shape is checked against them first (a wrong one would be read or written
     * out of bounds, not rejected).
     */
    record Key(long n, long h, long w, long in, long out, int k, int pad, boolean bias) {
        static Key of(INDArray x, INDArray weight, INDArray bias, int k, int pad) {
            if (x.rank() != 4 || weight.rank() != 4 || k < 1 || pad < 0 || x.size(1) + 2L * pad < k
                    || x.size(2) + 2L * pad < k) {
                throw new IllegalArgumentException("conv2d: x must be [n, h, w, in] and w [out, in, k, k] with h, w + 2 pad"
                        + " >= k; got x " + Arrays.toString(x.shape()) + ", w "
                        + Arrays.toString(weight.shape()) + ", k " + k + ", pad " + pad);
            }
            Key key = new Key(x.size(0), x.size(1), x.size(2), x.size(3), weight.size(0), k, pad, bias != null);
            key.check("w", weight, new long[] {key.out, key.in, k, k});
            if (bias != null) {
                key.check("bias", bias.reshape(bias.length()), new long[] {key.out});
            }
            return key;
        }

        long[] outShape() {
            return new long[] {n, h + 2L * pad - k + 1, w + 2L * pad - k + 1, out};
        }

        void check(String name, INDArray a, long[] expected) {
            if (!Arrays.equals(a.shape(), expected)) {
                throw new IllegalArgumentException("conv2d: " + name + " must have shape "
                        + Arrays.toString(expected) + ", got " + Arrays.toString(a.shape()));
            }
        }
    }

    /**
     * The three primitives of one shape and their weight reorders, each bound once to its memories; a memory has one
     * role (the forward's source, the backward's output gradient, ...) and is pointed at that call's array before a
     * run.
     */
    private static final class Plan {
        final dnnl_stream stream = new dnnl_stream();
        final dnnl_memory src;
        final dnnl_memory dst;
        final dnnl_memory bias;
        final dnnl_memory diffSrc;
        final dnnl_memory diffDst;
        final dnnl_memory diffBias;
        final dnnl_memory weights;
        final dnnl_memory diffWeights;
        final Step fwd;
        final Step bwdData;
        final Step bwdWeights;
        final Step toFwdWeights;
        final Step toDataWeights;
        final Step fromDiffWeights;
        /** The weights in the primitives' blocked layouts; referenced here so that no collection frees them. */
        final BytePointer wFwdBuffer;
        final BytePointer wDataBuffer;
        final BytePointer gwBuffer;

        Plan(Key key, dnnl_engine engine) {
            check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
            // dims in oneDNN's logical order (N, C, H, W / O, I, kH, kW); acdb = NHWC in memory, abcd = OIHW
            long[] out = key.outShape();
            dnnl_memory_desc_t srcMd = md(new long[] {key.n, key.in, key.h, key.w}, dnnl_acdb);
            dnnl_memory_desc_t dstMd = md(new long[] {key.n, key.out, out[1], out[2]}, dnnl_acdb);
            long[] wDims = {key.out, key.in, key.k, key.k};
            dnnl_memory_desc_t wAny = md(wDims, dnnl_format_tag_any);
            dnnl_memory_desc_t wPlainMd = md(wDims, dnnl_abcd);
            dnnl_memory_desc_t biasMd = key.bias ? md(new long[] {key.out}, dnnl_a) : null;
            long[] strides = {1, 1};
            long[] padding = {key.pad, key.pad};

            dnnl_convolution_desc_t fd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_forward_desc_init(fd, dnnl_forward_training, dnnl_convolution_direct, srcMd, wAny,
                    biasMd, dstMd, strides, padding, padding), "convolution forward");
            fwd = Step.of(engine, stream, new const_dnnl_op_desc_t(fd), null);
            dnnl_convolution_desc_t bd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_data_desc_init(bd, dnnl_convolution_direct, srcMd, wAny, dstMd, strides,
                    padding, padding), "convolution backward data");
            bwdData = Step.of(engine, stream, new const_dnnl_op_desc_t(bd), fwd.pd);
            dnnl_convolution_desc_t wd = new dnnl_convolution_desc_t();
            check(dnnl_convolution_backward_weights_desc_init(wd, dnnl_convolution_direct, srcMd, wAny, biasMd, dstMd,
                    strides, padding, padding), "convolution backward weights");
            bwdWeights = Step.of(engine, stream, new const_dnnl_op_desc_t(wd), fwd.pd);

            // the arrays' memories have no buffer of their own (null: DNNL_MEMORY_NONE); point() sets it per call
            src = memory(srcMd, engine, null);
            dst = memory(dstMd, engine, null);
            diffSrc = memory(srcMd, engine, null);
            diffDst = memory(dstMd, engine, null);
            bias = key.bias ? memory(biasMd, engine, null) : null;
            diffBias = key.bias ? memory(biasMd, engine, null) : null;
            weights = memory(wPlainMd, engine, null);
            diffWeights = memory(wPlainMd, engine, null);
            dnnl_memory_desc_t wFwdMd = dnnl_primitive_desc_query_md(fwd.pd, dnnl_query_weights_md, 0);
            dnnl_memory_desc_t wDataMd = dnnl_primitive_desc_query_md(bwdData.pd, dnnl_query_weights_md, 0);
            dnnl_memory_desc_t gwMd = dnnl_primitive_desc_query_md(bwdWeights.pd, dnnl_query_diff_weights_md, 0);
            wFwdBuffer = new BytePointer(dnnl_memory_desc_get_size(wFwdMd));
            wDataBuffer = new BytePointer(dnnl_memory_desc_get_size(wDataMd));
            gwBuffer = new BytePointer(dnnl_memory_desc_get_size(gwMd));
            dnnl_memory wFwd = memory(wFwdMd, engine, wFwdBuffer);
            dnnl_memory wData = memory(wDataMd, engine, wDataBuffer);
            dnnl_memory gwBlocked = memory(gwMd, engine, gwBuffer);
            toFwdWeights = Step.reorder(engine, stream, wPlainMd, wFwdMd);
            toDataWeights = Step.reorder(engine, stream, wPlainMd, wDataMd);
            fromDiffWeights = Step.reorder(engine, stream, gwMd, wPlainMd);

            toFwdWeights.bind(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, weights, wFwd);
            toDataWeights.bind(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, weights, wData);
            fromDiffWeights.bind(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, gwBlocked, diffWeights);
            bwdData.bind(new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC}, diffDst, wData, diffSrc);
            if (key.bias) {
                fwd.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST}, src, wFwd, bias, dst);
                bwdWeights.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_BIAS},
                        src, diffDst, gwBlocked, diffBias);
            } else {
                fwd.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, src, wFwd, dst);
                bwdWeights.bind(new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS}, src, diffDst,
                        gwBlocked);
            }
        }

        void forward(INDArray x, INDArray w, INDArray b, INDArray y) {
            point(weights, w);
            toFwdWeights.run();
            point(src, x);
            point(dst, y);
            if (b != null) {
                point(bias, b);
            }
            fwd.run();
        }

        void backward(INDArray x, INDArray w, INDArray gy, INDArray gx, INDArray gw, INDArray gb) {
            point(weights, w);
            toDataWeights.run();
            point(diffDst, gy);
            point(diffSrc, gx);
            bwdData.run();
            point(src, x);
            if (gb != null) {
                point(diffBias, gb);
            }
            bwdWeights.run();
            point(diffWeights, gw);
            fromDiffWeights.run();
        }

    }

    /**
     * One primitive with its own scratchpad (oneDNN's user mode: no buffer shared between threads), bound once to
     * its memories.
     */
    static final class Step {
        final dnnl_primitive_desc pd = new dnnl_primitive_desc();
        final dnnl_primitive primitive = new dnnl_primitive();
        final dnnl_stream stream;
        final dnnl_memory scratchpad = new dnnl_memory();
        /** The scratchpad's buffer, referenced so that no collection frees it. */
        BytePointer scratch;
        /** The (argument, memory) pairs of every run, the scratchpad last. */
        dnnl_exec_arg_t args;
        int argCount;

        private Step(dnnl_stream stream) {
            this.stream = stream;
        }

        static Step of(dnnl_engine engine, dnnl_stream stream, const_dnnl_op_desc_t desc, dnnl_primitive_desc hint) {
            Step s = new Step(stream);
            dnnl_primitive_attr attr = userScratchpad();
            check(dnnl_primitive_desc_create(s.pd, desc, attr, engine, hint), "primitive descriptor");
            dnnl_primitive_attr_destroy(attr);
            s.finish(engine);
            return s;
        }

        static Step reorder(dnnl_engine engine, dnnl_stream stream, dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            Step s = new Step(stream);
            dnnl_primitive_attr attr = userScratchpad();
            check(dnnl_reorder_primitive_desc_create(s.pd, from, engine, to, engine, attr), "reorder descriptor");
            dnnl_primitive_attr_destroy(attr);
            s.finish(engine);
            return s;
        }

        private static dnnl_primitive_attr userScratchpad() {
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            check(dnnl_primitive_attr_create(attr), "attributes");
            check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode");
            return attr;
        }

        private void finish(dnnl_engine engine) {
            check(dnnl_primitive_create(primitive, pd), "primitive");
            dnnl_memory_desc_t md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
            long bytes = Math.max(1, dnnl_memory_desc_get_size(md));
            scratch = new BytePointer(bytes);
            check(dnnl_memory_create(scratchpad, md, engine, scratch), "scratchpad");
        }

        /** The memories of every run: {@code memories[i]} as argument {@code ids[i]}. */
        void bind(int[] ids, dnnl_memory... memories) {
            argCount = ids.length + 1;
            args = new dnnl_exec_arg_t(argCount);
            for (int i = 0; i < ids.length; i++) {
                args.position(i).arg(ids[i]).memory(memories[i]);
            }
            args.position(ids.length).arg(DNNL_ARG_SCRATCHPAD).memory(scratchpad);
            args.position(0);
        }

        /** Runs the primitive on its memories and waits for it. */
        void run() {
            check(dnnl_primitive_execute(primitive, stream, argCount, args), "execute");
            check(dnnl_stream_wait(stream), "stream wait");
        }
    }

    /** A memory of this md; {@code data} null: no buffer yet ({@link #point} sets one per call). */
    static dnnl_memory memory(dnnl_memory_desc_t md, dnnl_engine engine, Pointer data) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, data), "memory");
        return m;
    }

    /** Points a oneDNN memory at an array's first element (a view's buffer starts there already). */
    static void point(dnnl_memory m, INDArray a) {
        check(dnnl_memory_set_data_handle(m, a.data().addressPointer()), "memory handle");
    }

    /** The md of a plain tensor of these dims and layout tag. */
    static dnnl_memory_desc_t md(long[] dims, int tag) {
        dnnl_memory_desc_t m = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(m, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return m;
    }
}
