package descent.data.scale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

class ScalerTest {

    private static INDArray matrix(double[][] rows) {
        return Nd4j.createFromArray(rows);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tol, what + ": max |diff| " + diff + " > " + tol);
    }

    /** Train: 200 x 4 around mean 3, sd 2; test: 50 x 4 around mean -10, sd 7 (a very different distribution). */
    private static INDArray[] trainTest() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(31);
        INDArray train = Nd4j.randn(rng, 200, 4).castTo(DataType.DOUBLE).muli(2).addi(3);
        INDArray test = Nd4j.randn(rng, 50, 4).castTo(DataType.DOUBLE).muli(7).subi(10);
        return new INDArray[] {train, test};
    }

    @Test
    void standardizeByHand() {
        // feature 0: [1, 2, 3] -> mean 2, biased var (1 + 0 + 1) / 3 = 2/3, z = [-1, 0, 1] / sqrt(2/3)
        // feature 1: [10, 20, 60] -> mean 30, biased var (400 + 100 + 900) / 3 = 1400/3
        INDArray x = matrix(new double[][] {{1, 10}, {2, 20}, {3, 60}});
        StandardScaler s = new StandardScaler().fit(x);
        assertClose(Nd4j.createFromArray(2.0, 30.0), s.mean(), 1e-15, "mean");
        assertClose(Nd4j.createFromArray(Math.sqrt(2.0 / 3), Math.sqrt(1400.0 / 3)), s.scale(), 1e-13, "scale");
        double a = 1 / Math.sqrt(2.0 / 3);
        double b = Math.sqrt(1400.0 / 3);
        assertClose(matrix(new double[][] {{-a, -20 / b}, {0, -10 / b}, {a, 30 / b}}), s.transform(x), 1e-14, "z");
    }

    @Test
    void standardizedTrainingDataHasMeanZeroAndStdOnePerFeature() {
        INDArray train = trainTest()[0];
        INDArray z = new StandardScaler().fitTransform(train);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 4), z.mean(0), 1e-13, "mean of z");
        assertClose(Nd4j.ones(DataType.DOUBLE, 4), z.std(false, 0), 1e-13, "biased std of z");
    }

    @Test
    void testDataIsScaledWithTrainingStatisticsOnly() {
        INDArray[] tt = trainTest();
        INDArray train = tt[0], test = tt[1];
        StandardScaler s = new StandardScaler().fit(train);
        INDArray meanBefore = s.mean(), scaleBefore = s.scale();
        INDArray zTest = s.transform(test);
        // exactly train's statistics, computed independently here
        INDArray expected = test.subRowVector(train.mean(0)).divRowVector(train.std(false, 0));
        assertClose(expected, zTest, 1e-13, "test z with train stats");
        assertEquals(meanBefore, s.mean(), "transforming test data leaves the fitted mean alone");
        assertEquals(scaleBefore, s.scale(), "... and the fitted scale");
        // the test data are far from train's distribution, so their z are far from mean 0 / std 1
        assertTrue(zTest.meanNumber().doubleValue() < -3, "test mean in train units");
        INDArray zTestOwn = new StandardScaler().fitTransform(test);
        assertTrue(zTest.sub(zTestOwn).amaxNumber().doubleValue() > 1, "fitting on test would differ");

        MinMaxScaler m = new MinMaxScaler().fit(train);
        INDArray minBefore = m.min();
        INDArray expectedMm = test.subRowVector(train.min(0)).divRowVector(train.max(0).sub(train.min(0)));
        assertClose(expectedMm, m.transform(test), 1e-13, "test min-max with train stats");
        assertEquals(minBefore, m.min());
    }

    @Test
    void inverseTransformRoundTrips() {
        INDArray[] tt = trainTest();
        Scaler[] scalers = {new StandardScaler().fit(tt[0]), new MinMaxScaler().fit(tt[0]),
            new MinMaxScaler(-1, 1).fit(tt[0])};
        for (Scaler s : scalers) {
            assertClose(tt[1], s.inverseTransform(s.transform(tt[1])), 1e-12, s + " round trip");
        }
    }

    @Test
    void minMaxMapsTrainingDataOntoTheTargetRangeAndDoesNotClipTestData() {
        INDArray[] tt = trainTest();
        MinMaxScaler m = new MinMaxScaler(-1, 1).fit(tt[0]);
        INDArray z = m.transform(tt[0]);
        assertClose(Nd4j.valueArrayOf(new long[] {4}, -1.0), z.min(0), 1e-15, "min -> lo");
        assertClose(Nd4j.valueArrayOf(new long[] {4}, 1.0), z.max(0), 1e-15, "max -> hi");
        assertTrue(m.transform(tt[1]).minNumber().doubleValue() < -1, "test values below train's min stay below");
        // by hand: [0, 5, 10] on [-1, 1] -> -1 + (x - 0) / 10 * 2 = [-1, 0, 1]
        INDArray x = matrix(new double[][] {{0}, {5}, {10}});
        assertClose(matrix(new double[][] {{-1}, {0}, {1}}), m.fit(x).transform(x), 1e-15, "by hand");
    }

    @Test
    void constantFeaturesAreHandledExplicitly() {
        // feature 1 is constant 0.1 (its computed variance need not be exactly 0 in floating point)
        INDArray train = matrix(new double[][] {{1, 0.1}, {2, 0.1}, {4, 0.1}, {5, 0.1}});
        INDArray test = matrix(new double[][] {{3, 0.1}, {3, 0.6}});
        StandardScaler s = new StandardScaler().fit(train);
        assertArrayEquals(new long[] {1}, s.constantFeatures());
        assertEquals(1.0, s.scale().getDouble(1), "scale 1 for a constant feature");
        INDArray z = s.transform(test);
        assertEquals(0.0, z.getDouble(0, 1), 1e-15, "the training value maps to 0");
        assertEquals(0.5, z.getDouble(1, 1), 1e-15, "an unseen value v maps to v - mean = 0.6 - 0.1");
        assertClose(test, s.inverseTransform(z), 1e-15, "round trip");

        MinMaxScaler m = new MinMaxScaler().fit(train);
        assertArrayEquals(new long[] {1}, m.constantFeatures());
        INDArray zm = m.transform(test);
        assertEquals(0.0, zm.getDouble(0, 1), 1e-15, "lo on the training value");
        assertEquals(0.5, zm.getDouble(1, 1), 1e-15, "lo + (v - min)");
        assertClose(test, m.inverseTransform(zm), 1e-15, "round trip");
    }

    @Test
    void agreesWithNd4jNormalizerStandardizeExceptOnConstantFeatures() {
        // ND4J 1.0.0-M2.1: same mean and BIASED std, but a constant feature gets std = 1e-5 instead of 1
        INDArray train = matrix(new double[][] {{1, 10, 5}, {2, 20, 5}, {3, 60, 5}});
        NormalizerStandardize nd4j = new NormalizerStandardize();
        nd4j.fit(new DataSet(train.dup(), Nd4j.zeros(DataType.DOUBLE, 3, 1)));
        StandardScaler ours = new StandardScaler().fit(train);
        assertClose(nd4j.getMean().reshape(3), ours.mean(), 1e-15, "mean");
        INDArray nd4jStd = nd4j.getStd().reshape(3);
        assertClose(nd4jStd.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)),
                ours.scale().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), 1e-13, "std, varying features");
        assertEquals(1e-5, nd4jStd.getDouble(2), 1e-20, "ND4J: std of a constant feature is 1e-5");
        assertEquals(1.0, ours.scale().getDouble(2), "ours: scale 1");
    }

    @Test
    void imagesAreScaledPerChannel() {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(32);
        INDArray images = Nd4j.rand(rng, 6, 3, 4, 4).castTo(DataType.DOUBLE);
        images.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(2))
                .muli(50).addi(7); // channel 2 on another scale
        StandardScaler s = new StandardScaler().fit(images);
        assertEquals(3, s.numFeatures());
        INDArray z = s.transform(images);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 3), z.mean(0, 2, 3), 1e-13, "per-channel mean");
        assertClose(Nd4j.ones(DataType.DOUBLE, 3), z.std(false, 0, 2, 3), 1e-13, "per-channel std");
    }

    private static void assertIae(String expectedInMessage, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expectedInMessage),
                "message should mention '" + expectedInMessage + "': " + e.getMessage());
    }

    @Test
    void badInput() {
        assertThrows(IllegalStateException.class, () -> new StandardScaler().transform(Nd4j.ones(2, 3)));
        assertThrows(IllegalStateException.class, () -> new MinMaxScaler().inverseTransform(Nd4j.ones(2, 3)));
        StandardScaler s = new StandardScaler().fit(Nd4j.rand(DataType.DOUBLE, 5, 3));
        assertIae("fitted on 3 features (axis 1), got transform input of shape [4, 2]",
                () -> s.transform(Nd4j.ones(DataType.DOUBLE, 4, 2)));
        assertIae("[5]", () -> new StandardScaler().fit(Nd4j.ones(DataType.DOUBLE, 5)));
        INDArray withNan = Nd4j.ones(DataType.DOUBLE, 3, 3);
        withNan.putScalar(1, 2, Double.NaN);
        assertIae("NaN or infinite values in features [2]", () -> new MinMaxScaler().fit(withNan));
        assertIae("no examples", () -> new StandardScaler().fit(Nd4j.create(DataType.DOUBLE, 0, 3)));
        assertIae("lo < hi", () -> new MinMaxScaler(1, 1));
        assertIae("lo < hi", () -> new MinMaxScaler(0, Double.NaN));
    }
}
