package descent.train;

import java.util.Locale;

/**
 * Where training stands, passed to {@link TrainingListener}s after every batch and every epoch.
 *
 * @param epoch current epoch, 1-based
 * @param epochs total epochs of the run
 * @param batch batches done in this epoch
 * @param batches batches per epoch
 * @param trainLoss mean training loss over this epoch's batches so far
 * @param trainAcc training accuracy (0-1) over this epoch's batches so far (augmented images)
 * @param imagesPerSecond training throughput of this epoch so far
 * @param etaSeconds estimated seconds until the run ends (training only, at the current throughput)
 * @param lr current learning rate
 */
public record Progress(int epoch, int epochs, int batch, int batches, double trainLoss, double trainAcc,
                       double imagesPerSecond, double etaSeconds, double lr) {

    /** {@code epoch 3/10  batch 120/391  loss 1.2345  acc 55.1%  2345 img/s  ETA 4:05}. */
    public String line() {
        return String.format(Locale.ROOT, "epoch %d/%d  batch %d/%d  loss %.4f  acc %.1f%%  %.0f img/s  ETA %s",
                epoch, epochs, batch, batches, trainLoss, 100 * trainAcc, imagesPerSecond, duration(etaSeconds));
    }

    /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public String toString() {
        return line();
    }
}
