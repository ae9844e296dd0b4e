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
}
