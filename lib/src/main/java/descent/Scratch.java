package descent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Temporary folders for a notebook (checkpoints, generated fixtures) that are removed, with everything in them, when
 * the kernel exits normally (shutdown or restart from Jupyter). A kernel that is killed leaves them in the system's
 * temporary folder, as any crashed program does.
 *
 * <pre>{@code
 * Path checkpoints = Scratch.directory("descent-09");
 * }</pre>
 */
public final class Scratch {
    private static final List<Path> CREATED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Scratch::deleteAll, "descent-scratch-cleanup"));
    }

    private Scratch() {
    }

    /** A new, empty folder in the system's temporary folder, named {@code prefix} plus random digits. */
    public static Path directory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            CREATED.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary folder '" + prefix + "…' in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    /** Deletes every folder made by {@link #directory} so far (also run at exit); returns how many existed. */
    public static int deleteAll() {
        int deleted = 0;
        for (Path dir : CREATED) {
            if (Files.exists(dir)) {
                deleteTree(dir);
                deleted++;
            }
            CREATED.remove(dir);
        }
        return deleted;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("descent: could not delete temporary folder " + dir + ": " + e.getMessage());
        }
    }
}
