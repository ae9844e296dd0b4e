package descent.regularize;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Augmentations applied one after the other, like torchvision's {@code transforms.Compose}.
 * Each stage keeps its own seeded generator, so the pipeline is reproducible as a whole.
 */
public final class AugmentationPipeline implements Augmentation {

    private final List<Augmentation> stages;

    private AugmentationPipeline(List<Augmentation> stages) {
        this.stages = Collections.unmodifiableList(stages);
    }

    /** The stages in order; at least one. */
    public static AugmentationPipeline of(Augmentation... stages) {
        if (stages == null || stages.length == 0) {
            throw new IllegalArgumentException("AugmentationPipeline: needs at least one stage");
        }
        List<Augmentation> list = new ArrayList<>();
        for (int i = 0; i < stages.length; i++) {
            if (stages[i] == null) {
                throw new IllegalArgumentException("AugmentationPipeline: stage " + i + " is null");
            }
            if (stages[i] instanceof AugmentationPipeline p) {
                list.addAll(p.stages); // flatten, so a.then(b).then(c) lists a, b, c
            } else {
                list.add(stages[i]);
            }
        }
        return new AugmentationPipeline(list);
    }

    @Override
    public INDArray apply(INDArray images) {
        Checks.images("AugmentationPipeline", images);
        INDArray out = images;
        for (Augmentation stage : stages) {
            out = stage.apply(out);
        }
        return out;
    }

    @Override
    public AugmentationPipeline then(Augmentation next) {
        return of(this, next);
    }

    public List<Augmentation> stages() {
        return stages;
    }

    @Override
    public String toString() {
        return "AugmentationPipeline" + stages;
    }
}
