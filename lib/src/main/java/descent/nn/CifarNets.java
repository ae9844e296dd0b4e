package descent.nn;

import descent.nn.norm.BatchNorm;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The CIFAR-10 networks of the course. Both take NHWC images {@code [batch, 32, 32, 3]} and output 10 logits.
 *
 * <p>Pooling comes before the ReLU: {@code relu(maxpool(a)) = maxpool(relu(a))} exactly, forward and backward
 * (see {@link ReLU}), and the ReLU then touches 4x fewer values. PyTorch code usually writes conv, ReLU, pool;
 * it is the same network.
 */
public final class CifarNets {

    private CifarNets() {
    }

    /**
     * The seed CNN (545,098 parameters):
     * <pre>
     *   conv 3->32 3x3 pad 1, max-pool 2, ReLU        [32, 32, 3] -> [16, 16, 32]
     *   conv 32->64 3x3 pad 1, max-pool 2, ReLU       -> [8, 8, 64]
     *   flatten, linear 4096->128, ReLU, linear 128->10
     * </pre>
     */
    public static Sequential seed(DataType dtype, long seed) {
        return Sequential.input(32, 32, 3)
                .add(new Conv2d(3, 32, 3, 1)).add(new MaxPool2d(2)).add(new ReLU())
                .add(new Conv2d(32, 64, 3, 1)).add(new MaxPool2d(2)).add(new ReLU())
                .add(new Flatten())
                .add(new Linear(64 * 8 * 8, 128)).add(new ReLU())
                .add(new Linear(128, 10))
                .dataType(dtype).seed(seed).build();
    }

    /**
     * A stronger CNN (VGG-style, BatchNorm, dropout), aiming at 80%+ test accuracy with augmentation:
     * <pre>
     *   [conv 3x3 (no bias), BatchNorm, ReLU] x2 per stage, max-pool 2 after each stage,
     *   stages of 32, 64, 128 channels: [32, 32, 3] -> [16, 16, 32] -> [8, 8, 64] -> [4, 4, 128]
     *   flatten, dropout 0.3, linear 2048->256, ReLU, dropout 0.3, linear 256->10
     * </pre>
     */
    public static Sequential strong(DataType dtype, long seed) {
        Sequential.Builder b = Sequential.input(32, 32, 3);
        int in = 3;
        for (int ch : new int[] {32, 64, 128}) {
            b.add(new Conv2d(in, ch, 3, 1, false)).add(new BatchNorm(ch)).add(new ReLU());
            b.add(new Conv2d(ch, ch, 3, 1, false)).add(new BatchNorm(ch)).add(new MaxPool2d(2)).add(new ReLU());
            in = ch;
        }
        return b.add(new Flatten())
                .add(new Dropout(0.3)).add(new Linear(128 * 4 * 4, 256)).add(new ReLU())
                .add(new Dropout(0.3)).add(new Linear(256, 10))
                .dataType(dtype).seed(seed).build();
    }

    /** airbench94's widths of the three conv groups. */
    public static final int[] FAST_WIDTHS = {64, 256, 256};

    /**
     * The speedrun network, airbench94's (Keller Jordan 2024) with ReLU for GELU, 1,972,802 parameters and 236
     * MFLOPs per image forward:
     * <pre>
     *   conv 3->24 2x2 no padding (+bias; patch-whitened, frozen), ReLU       [32, 32, 3] -> [31, 31, 24]
     *   3 conv groups of widths w = (64, 256, 256):
     *     conv 3x3 pad 1 (no bias), max-pool 2, BatchNorm, ReLU,
     *     conv 3x3 pad 1 (no bias), BatchNorm, ReLU                            -> [15, 15, 64] -> [7, 7, 256] -> [3, 3, 256]
     *   max-pool 3, flatten, linear 256->10, scale 1/9                          -> [10]
     * </pre>
     * BatchNorm as airbench's: momentum 0.4 (torch's convention; airbench writes 0.6 = 1 - 0.4), eps 1e-12. With
     * {@code identityInit} the 3x3 convolutions start with identity filters ({@link Conv2d#identityInit}). The
     * first layer gets its weights from the data: {@link Conv2d#whiten} (see {@code descent.train.Speedrun}).
     */
    public static Sequential fast(int[] widths, boolean identityInit, DataType dtype, long seed) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("fast: at least one conv group width is needed");
        }
        Sequential.Builder b = Sequential.input(32, 32, 3)
                .add(new Conv2d(3, 24, 2, 0, true)).add(new ReLU());
        int in = 24;
        int size = 31;
        for (int w : widths) {
            b.add(new Conv2d(in, w, 3, 1, false).identityInit(identityInit)).add(new MaxPool2d(2))
                    .add(new BatchNorm(w).momentum(0.4).eps(1e-12)).add(new ReLU());
            b.add(new Conv2d(w, w, 3, 1, false).identityInit(identityInit))
                    .add(new BatchNorm(w).momentum(0.4).eps(1e-12)).add(new ReLU());
            in = w;
            size /= 2;
        }
        return b.add(new MaxPool2d(size)).add(new Flatten()).add(new Linear(in, 10)).add(new Scale(1.0 / 9))
                .dataType(dtype).seed(seed).build();
    }
}
