package descent.data;

/**
 * On-the-fly image augmentation: random crop from a zero-padded image, then an optional random
 * horizontal flip. This is the classic CIFAR-10 recipe, the same as torchvision's
 * {@code RandomCrop(32, padding=p)} followed by {@code RandomHorizontalFlip()}:
 *
 * <pre>
 *   dy, dx ~ uniform{0, ..., 2p}          (crop offset inside the padded 36x36 image for p = 4)
 *   flip   ~ Bernoulli(1/2)
 *   out[h][w] = padded[h + dy][(flip ? W-1-w : w) + dx]
 * </pre>
 *
 * The padding pixels are black (byte value 0), exactly as torchvision pads the PIL image before
 * {@code ToTensor()} and {@code Normalize()}; after normalization they hold {@code -mean/std}, not 0.
 *
 * @param padding crop padding in pixels (0 = no crop)
 * @param flip whether to flip horizontally with probability 1/2
 */
public record Augmentation(int padding, boolean flip) {

    /** No augmentation: images are only normalized. */
    public static final Augmentation NONE = new Augmentation(0, false);

    public Augmentation {
        if (padding < 0 || padding > 16) {
            throw new IllegalArgumentException("crop padding must be in 0..16 pixels, got " + padding);
        }
    }

    /** Random crop with the given padding plus random horizontal flip (padding 4 is the usual CIFAR recipe). */
    public static Augmentation cropAndFlip(int padding) {
        return new Augmentation(padding, true);
    }

    /** Whether this augmentation changes anything at all. */
    public boolean isIdentity() {
        return padding == 0 && !flip;
    }

    @Override
    public String toString() {
        if (isIdentity()) {
            return "none";
        }
        String crop = padding > 0 ? "random crop (padding " + padding + ")" : "";
        String f = flip ? "horizontal flip" : "";
        return crop.isEmpty() ? f : f.isEmpty() ? crop : crop + " + " + f;
    }
}
