package descent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.data.Synthetic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.ObjectMapper;

class CifarBenchTest {

    @TempDir
    Path tmp;

    /** Runs the bench with these arguments and parses the last line of its output, the JSON summary. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> lastJsonLine(String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            CifarBench.main(args);
        } finally {
            System.setOut(old);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).trim().split("\n");
        return new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
    }

    @Test
    void runsWithoutTorchAndEndsWithOneJsonLine() throws Exception {
        Synthetic.writeCifar10Folder(tmp, 256, 60, 3, true);
        Map<String, Object> json = lastJsonLine("--epochs", "1", "--data", tmp.toString(), "--threads", "1", "--no-torch");
        for (String key : new String[] {"epochs", "train_img_per_s", "test_acc", "peak_rss_mb"}) {
            assertTrue(json.containsKey(key), key + " in " + json);
        }
        assertFalse(json.containsKey("throughput_ratio"));
        assertEquals(1, ((Number) json.get("epochs")).intValue());
        assertEquals(256, ((Number) json.get("train_images")).intValue());
        assertTrue(((Number) json.get("train_img_per_s")).doubleValue() > 0);
        assertTrue(((Number) json.get("peak_rss_mb")).doubleValue() > 10);
    }

    @Test
    void theFastRecipeReportsTimesFlopsAndThePeakFraction() throws Exception {
        Synthetic.writeCifar10Folder(tmp, 640, 60, 3, true);
        Map<String, Object> json = lastJsonLine("--model", "fast", "--epochs", "2", "--batch", "32", "--data",
                tmp.toString(), "--threads", "1", "--no-torch");
        for (String key : new String[] {"epochs", "test_acc", "train_seconds", "peak_rss_mb", "per_epoch", "recipe",
            "forward_mflop_per_image", "train_gflop_per_s", "gemm_peak_gflop_per_s", "fraction_of_gemm_peak"}) {
            assertTrue(json.containsKey(key), key + " in " + json);
        }
        assertEquals(236.3178, ((Number) json.get("forward_mflop_per_image")).doubleValue(), 1e-4);
        double fraction = ((Number) json.get("fraction_of_gemm_peak")).doubleValue();
        assertTrue(fraction > 0 && fraction < 1, "fraction of peak " + fraction);
        java.util.List<?> perEpoch = (java.util.List<?>) json.get("per_epoch");
        assertEquals(2, perEpoch.size());
        // 640 images in batches of 32: 20 steps per epoch, 640 images trained per epoch
        double seconds = ((Number) json.get("train_seconds")).doubleValue();
        assertEquals(2 * 640 / seconds, ((Number) json.get("train_img_per_s")).doubleValue(), 0.01 * 2 * 640 / seconds + 1e-3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFinishedCheckpointIsOnlyEvaluatedAndCompareTtaReportsEveryLevel() throws Exception {
        Synthetic.writeCifar10Folder(tmp, 320, 60, 3, true);
        String ckpt = tmp.resolve("run.ckpt").toString();
        String[] args = {"--model", "fast", "--epochs", "1", "--batch", "32", "--data", tmp.toString(), "--threads", "1",
            "--no-torch", "--checkpoint", ckpt};
        Map<String, Object> trained = lastJsonLine(args);
        assertFalse(trained.containsKey("test_acc_by_tta"));
        String[] again = java.util.Arrays.copyOf(args, args.length + 1);
        again[args.length] = "--compare-tta";
        Map<String, Object> evaluated = lastJsonLine(again);
        // nothing left to train: the one epoch is reported as restored, with the seconds it took when trained
        java.util.List<Map<String, Object>> epochs = (java.util.List<Map<String, Object>>) evaluated.get("per_epoch");
        assertEquals(1, epochs.size());
        assertEquals(true, epochs.get(0).get("restored"));
        assertEquals(trained.get("train_seconds"), evaluated.get("train_seconds"));
        assertFalse(((java.util.List<Map<String, Object>>) trained.get("per_epoch")).get(0).containsKey("restored"));
        Map<String, Object> byTta = (Map<String, Object>) evaluated.get("test_acc_by_tta");
        assertEquals(java.util.List.of("none", "flip", "flip_translate"), java.util.List.copyOf(byTta.keySet()));
        // the same slow weights, the recipe's TTA (flip + translations): the accuracy of the run that trained them
        assertEquals(trained.get("test_acc"), byTta.get("flip_translate"));
        assertEquals(trained.get("test_acc"), evaluated.get("test_acc"));
    }

    @Test
    void unknownOptionsAreRefusedWithTheValidList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CifarBench.parse(new String[] {"--epoch", "3"}));
        assertTrue(e.getMessage().contains("--epoch") && e.getMessage().contains("--epochs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CifarBench.parse(new String[] {"--data"}));
    }
}
