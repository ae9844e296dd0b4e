package descent.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {

    @TempDir
    Path tmp;

    @Test
    void roundTripKeepsHeaderAndArraysExactly() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("epochsDone", 3);
        h.put("note", "x");
        var f = Nd4j.createFromArray(1.5f, -2.25f, Float.MIN_VALUE);
        var d = Nd4j.createFromArray(Math.PI, -0.0, 1e-300);
        Path file = tmp.resolve("a.ckpt");
        new Checkpoint(h, List.of(f, d)).write(file);
        Checkpoint c = Checkpoint.read(file);
        assertEquals(h, c.header());
        assertEquals(DataType.FLOAT, c.arrays().get(0).dataType());
        assertEquals(f, c.arrays().get(0));
        assertEquals(d, c.arrays().get(1));
        // Overwriting goes through a temporary file and a rename: nothing else is left in the folder.
        new Checkpoint(h, List.of(d)).write(file);
        assertEquals(1, Checkpoint.read(file).arrays().size());
        assertEquals(List.of(file), list());
    }

    @Test
    void damagedFilesAreRejectedClearly() throws IOException {
        Path file = tmp.resolve("b.ckpt");
        new Checkpoint(Map.of("k", 1), List.of(Nd4j.zeros(DataType.FLOAT, 1000))).write(file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 10));
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        Files.writeString(file, "not a checkpoint at all");
        IllegalArgumentException magic = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
        assertTrue(magic.getMessage().contains("not a descent checkpoint"), magic.getMessage());
    }

    private List<Path> list() {
        try (var s = Files.list(tmp)) {
            return s.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
