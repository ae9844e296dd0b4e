package descent.testing;

import java.util.function.DoubleSupplier;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Central finite differences in double, nudging a live array in place (for parameters a layer reads itself);
 * {@link descent.check.GradientCheck#numericGradient} is the functional form, on a copy.
 */
public final class FiniteDifference {

    private FiniteDifference() {
    }

    /**
     * d f / d a, where {@code f} reads {@code a} (a live, contiguous DOUBLE array): each element is
     * nudged by +-h in place, f evaluated, and the element restored.
     * <pre>  g_i = (f(a + h e_i) - f(a - h e_i)) / (2h)     error O(h^2) + O(machine eps * |f| / h)</pre>
     */
    public static INDArray gradient(DoubleSupplier f, INDArray a, double h) {
        INDArray g = Nd4j.create(DataType.DOUBLE, a.shape());
        for (long i = 0; i < a.length(); i++) {
            double original = a.getDouble(i);
            a.putScalar(i, original + h);
            double plus = f.getAsDouble();
            a.putScalar(i, original - h);
            double minus = f.getAsDouble();
            a.putScalar(i, original);
            g.putScalar(i, (plus - minus) / (2 * h));
        }
        return g;
    }
}
