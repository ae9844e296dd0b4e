package descent.nn;

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub and Van Loan, section 8.5):
 * repeatedly zero the largest remaining off-diagonal entries with plane rotations until the matrix is diagonal to
 * working precision. Enough for the 12 x 12 (or 27 x 27) patch second-moment matrices of {@link Conv2d#whiten}.
 */
final class SymmetricEigen {

    private SymmetricEigen() {
    }

    /**
     * @param a a symmetric {@code d x d} matrix (not modified)
     * @param vectors receives the unit eigenvectors as rows, in the order of the returned values
     * @return the eigenvalues in decreasing order
     */
    static double[] decompose(double[][] a, double[][] vectors) {
        int d = a.length;
        double[][] m = new double[d][];
        for (int i = 0; i < d; i++) {
            if (a[i].length != d) {
                throw new IllegalArgumentException("SymmetricEigen: matrix is not square");
            }
            m[i] = a[i].clone();
        }
        double[][] v = new double[d][d];    // columns: eigenvectors
        for (int i = 0; i < d; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double diag = 0;
            for (int p = 0; p < d; p++) {
                diag += m[p][p] * m[p][p];
                for (int q = p + 1; q < d; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300)) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (m[p][q] == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int r = 0; r < d; r++) {       // m <- m J  (columns p, q)
                        double mrp = m[r][p];
                        double mrq = m[r][q];
                        m[r][p] = c * mrp - s * mrq;
                        m[r][q] = s * mrp + c * mrq;
                    }
                    for (int r = 0; r < d; r++) {       // m <- J^T m  (rows p, q)
                        double mpr = m[p][r];
                        double mqr = m[q][r];
                        m[p][r] = c * mpr - s * mqr;
                        m[q][r] = s * mpr + c * mqr;
                    }
                    for (int r = 0; r < d; r++) {       // v <- v J
                        double vrp = v[r][p];
                        double vrq = v[r][q];
                        v[r][p] = c * vrp - s * vrq;
                        v[r][q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(m[y][y], m[x][x]));
        double[] values = new double[d];
        for (int i = 0; i < d; i++) {
            values[i] = m[order[i]][order[i]];
            for (int r = 0; r < d; r++) {
                vectors[i][r] = v[r][order[i]];
            }
        }
        return values;
    }
}
