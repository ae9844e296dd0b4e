package descent.data;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A random transformation of a batch of channels-last images {@code [N, H, W, C]}, applied in place to training
 * batches only (a {@link Dataset} applies it as it fills a batch; the {@link descent.train.Trainer} hands it a random
 * source seeded from the run's seed, the epoch and the batch, so runs are reproducible and resumable). Targets are
 * never touched.
 *
 * <pre>{@code
 * Augmentation a = Augmentation.cropAndFlip(4);                    // the CIFAR recipe
 * Augmentation b = Augmentation.randomCrop(1).then(Augmentation.horizontalFlip()).then(Augmentation.gaussianNoise(0.1));
 * b.apply(images, new SplittableRandom(42));                        // images: [N, H, W, C], changed in place
 * }</pre>
 */
public interface Augmentation {

    /** Transforms {@code images} ({@code [N, H, W, C]}) in place, drawing its random numbers from {@code rng}. */
    void apply(INDArray images, SplittableRandom rng);

    /** Whether this augmentation leaves every batch as it is. */
    default boolean isIdentity() {
        return false;
    }

    /** This augmentation, then {@code next} (same random source, in that order). */
    default Augmentation then(Augmentation next) {
        return Pipeline.of(this, next);
    }

    /** No augmentation. */
    Augmentation NONE = new Augmentation() {
        @Override
        public void apply(INDArray images, SplittableRandom rng) {
        }

        @Override
        public boolean isIdentity() {
            return true;
        }

        @Override
        public String toString() {
            return "none";
        }
    };

    /**
     * Random crop with the given zero padding plus random horizontal flip, per image (torchvision's
     * {@code RandomCrop(size, padding)} then {@code RandomHorizontalFlip()}); padding 4 is the usual CIFAR recipe.
     */
    static CropAndFlip cropAndFlip(int padding) {
        return new CropAndFlip(padding, true);
    }

    /** Random crop of the image's own size from the image padded by {@code padding} zeros on every side. */
    static CropAndFlip randomCrop(int padding) {
        return new CropAndFlip(padding, false);
    }

    /** Mirrors each image left to right with probability 1/2. */
    static CropAndFlip horizontalFlip() {
        return new CropAndFlip(0, true);
    }

    /** Adds independent Gaussian noise of standard deviation {@code std} to every value. */
    static Augmentation gaussianNoise(double std) {
        return new GaussianNoise(std);
    }

    /** Stages applied in order. */
    record Pipeline(List<Augmentation> stages) implements Augmentation {

        /** A pipeline of the given stages (nested pipelines are flattened). */
        public static Pipeline of(Augmentation... stages) {
            if (stages.length == 0) {
                throw new IllegalArgumentException("an augmentation pipeline needs at least one stage");
            }
            List<Augmentation> flat = new java.util.ArrayList<>();
            for (Augmentation a : stages) {
                if (a == null) {
                    throw new IllegalArgumentException("an augmentation pipeline stage is null");
                }
                if (a instanceof Pipeline p) {
                    flat.addAll(p.stages());
                } else {
                    flat.add(a);
                }
            }
            return new Pipeline(List.copyOf(flat));
        }

        @Override
        public void apply(INDArray images, SplittableRandom rng) {
            for (Augmentation a : stages) {
                a.apply(images, rng);
            }
        }

        @Override
        public boolean isIdentity() {
            return stages.stream().allMatch(Augmentation::isIdentity);
        }

        @Override
        public String toString() {
            return String.join(" + ", stages.stream().map(Object::toString).toList());
        }
    }
}
