package descent.nn.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.nn.Linear;
import descent.nn.ReLU;
import descent.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/** BatchNorm's fast path (matrix products with ones, reused buffers) equals its plain array formula. */
class BatchNormPathsTest {

    private static double maxRelDiff(INDArray a, INDArray b) {
        double scale = Math.max(1, a.amaxNumber().doubleValue());
        return a.sub(b).amaxNumber().doubleValue() / scale;
    }

    @Test
    void fastEqualsPlainOnImagesAndFeaturesInBothModesAndTypes() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = type == DataType.DOUBLE ? 1e-12 : 2e-5;
            for (long[] shape : new long[][] {{6, 4}, {3, 5, 5, 4}, {2, 7, 4}}) {
                Random rng = Nd4j.getRandomFactory().getNewRandomInstance(shape.length);
                BatchNorm fast = new BatchNorm(4).momentum(0.3);
                BatchNorm plain = new BatchNorm(4).momentum(0.3).plain(true);
                INDArray g0 = Nd4j.rand(rng, 4).castTo(type).addi(0.5);
                fast.gamma(g0);
                plain.gamma(g0);
                for (int step = 0; step < 3; step++) {
                    boolean training = step < 2;
                    INDArray x = Nd4j.randn(rng, shape).castTo(type).muli(2).addi(step);
                    INDArray up = Nd4j.randn(rng, shape).castTo(type);
                    String at = type + " " + java.util.Arrays.toString(shape) + (training ? " training" : " eval")
                            + " step " + step;
                    assertTrue(maxRelDiff(fast.forward(x, training), plain.forward(x, training)) < tol, at + " y");
                    assertTrue(maxRelDiff(fast.backward(up), plain.backward(up)) < tol, at + " dx");
                    assertTrue(maxRelDiff(fast.gradGamma(), plain.gradGamma()) < tol, at + " dgamma");
                    assertTrue(maxRelDiff(fast.gradBeta(), plain.gradBeta()) < tol, at + " dbeta");
                    assertTrue(maxRelDiff(fast.runningMean(), plain.runningMean()) < tol, at + " running mean");
                    assertTrue(maxRelDiff(fast.runningVar(), plain.runningVar()) < tol, at + " running var");
                }
                assertEquals(2, fast.batchesTracked());
                assertEquals(2, plain.batchesTracked());
            }
        }
    }

    @Test
    void inANetworkItsParametersAndStatisticsLiveInTheNetworkVectors() {
        BatchNorm bn = new BatchNorm(3);
        Sequential net = Sequential.input(2).add(new Linear(2, 3)).add(bn).add(new ReLU()).add(new Linear(3, 2))
                .dataType(DataType.DOUBLE).seed(1).build();
        assertEquals(java.util.List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                net.parameters().stream().map(descent.nn.Parameter::name).toList());
        assertEquals(6, net.buffers().length(), "running mean and variance");
        net.forward(Nd4j.rand(DataType.DOUBLE, 5, 2), true);
        assertEquals(bn.runningMean(), net.buffers().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3)));
        bn.gamma().assign(2);   // a view: the network's parameter vector changes
        assertEquals(2.0, net.params().getDouble(9), 0);
    }
}
