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

    @Test
    void runsWithoutTorchAndEndsWithOneJsonLine() throws Exception {
        Synthetic.writeCifar10Folder(tmp, 256, 60, 3, true);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            CifarBench.main(new String[] {"--epochs", "1", "--data", tmp.toString(), "--threads", "1", "--no-torch"});
        } finally {
            System.setOut(old);
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).trim().split("\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
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
    void unknownOptionsAreRefusedWithTheValidList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CifarBench.parse(new String[] {"--epoch", "3"}));
        assertTrue(e.getMessage().contains("--epoch") && e.getMessage().contains("--epochs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CifarBench.parse(new String[] {"--data"}));
    }
}
