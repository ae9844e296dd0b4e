package descent;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ScratchTest {
    @Test
    void foldersAreCreatedEmptyAndDeletedWithTheirContents() throws Exception {
        Path a = Scratch.directory("scratch-test");
        Path b = Scratch.directory("scratch-test");
        assertNotEquals(a, b);
        assertTrue(Files.isDirectory(a));
        assertTrue(a.getFileName().toString().startsWith("scratch-test"));
        try (var list = Files.list(a)) {
            assertEquals(0, list.count());
        }
        Files.createDirectories(a.resolve("sub"));
        Files.writeString(a.resolve("sub/checkpoint.ckpt"), "x");
        Files.delete(b);                      // already gone: not counted, no error
        assertEquals(1, Scratch.deleteAll());
        assertFalse(Files.exists(a));
        assertEquals(0, Scratch.deleteAll());
    }
}
