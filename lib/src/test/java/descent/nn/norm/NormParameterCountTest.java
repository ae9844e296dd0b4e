package descent.nn.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import descent.nn.Linear;
import descent.nn.Parameter;
import descent.nn.Sequential;
import org.junit.jupiter.api.Test;

/**
 * Parameters and buffers of the normalization layers, as torch counts them (torch 1.13):
 * {@code sum(p.numel() for p in nn.BatchNorm2d(64).parameters()) == 128} (weight = gamma and bias = beta, 64 each);
 * its running_mean and running_var (64 each) are buffers, not parameters. Same count on a layer of its own, inside a
 * network, in the network's summary table and in its parameter list (issue 11: BatchNorm(64) once showed 0 in one
 * notebook and 64 in another).
 */
class NormParameterCountTest {

    static long numel(Iterable<Parameter> ps) {
        long n = 0;
        for (Parameter p : ps) {
            n += p.value().length();
        }
        return n;
    }

    @Test
    void batchNormOfCChannelsHas2CParametersAnd2CBuffers() {
        BatchNorm alone = new BatchNorm(64);
        assertEquals(128, alone.numParams());
        assertEquals(128, alone.numBuffers());

        BatchNorm inNet = new BatchNorm(64);
        Sequential net = Sequential.input(10).add(new Linear(10, 64)).add(inNet).build();
        assertEquals(128, inNet.numParams());
        assertEquals(128, numel(inNet.parameters()));
        assertEquals(10 * 64 + 64 + 128, net.numParams());
        assertEquals(net.numParams(), numel(net.parameters()));
        assertEquals(128, net.summary().longColumn("params").get(1));
        assertEquals(128, net.buffers().length());
    }

    @Test
    void layerNormAndInstanceNormCountGammaAndBeta() {
        assertEquals(128, new LayerNorm(64).numParams());          // nn.LayerNorm(64): 128
        assertEquals(0, new LayerNorm(64).numBuffers());
        assertEquals(128, new InstanceNorm(64).numParams());       // nn.InstanceNorm2d(64, affine=True): 128
        assertEquals(0, new InstanceNorm(64).numBuffers());
    }
}
