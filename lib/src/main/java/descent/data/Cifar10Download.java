package descent.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Finds CIFAR-10 in a local cache, or downloads the official archive into it.
 *
 * <p>The cache folder is {@code $DESCENT_DATA} if that variable is set, else {@code ~/.cache/descent}. It is
 * searched for, in order: {@code cifar-10-batches-bin/} (the extracted archive), {@code cifar-10/} (a folder of
 * {@code .bin} or {@code .bin.gz} batch files), and {@code cifar-10-binary.tar.gz}. If none is there, the
 * archive is downloaded:
 * <ol>
 *   <li>into a temporary file {@code cifar-10-binary.tar.gz.*.part} in the cache folder, with a progress bar,
 *   computing its MD5 on the way;</li>
 *   <li>if the MD5 matches, the temporary file is renamed to {@code cifar-10-binary.tar.gz} (atomically where the
 *   file system allows); otherwise it is deleted and a {@link Cifar10FormatException} says so.</li>
 * </ol>
 * A failed or interrupted download therefore never leaves a file under the final name.
 *
 * <p>The URL, the expected MD5 and the cache folder are constructor arguments, so tests can serve a small
 * generated archive from a {@code file:} URL or a local HTTP server.
 */
public final class Cifar10Download {

    /** The official archive. */
    public static final URI OFFICIAL_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    /** MD5 of the official archive, as published on the CIFAR page. */
    public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

    private final URI url;
    private final String md5;
    private final Path cacheDir;
    private final PrintStream progress;

    /**
     * @param url where to download the archive from (http, https or file)
     * @param md5 the archive's expected MD5, 32 hex digits
     * @param cacheDir the cache folder
     * @param progress where to draw the progress bar, or null for none
     */
    public Cifar10Download(URI url, String md5, Path cacheDir, PrintStream progress) {
        if (md5 == null || !md5.matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("md5 must be 32 hex digits, got " + md5);
        }
        this.url = url;
        this.md5 = md5.toLowerCase(Locale.ROOT);
        this.cacheDir = cacheDir;
        this.progress = progress;
    }

    /** The official URL and MD5, the default cache folder, progress on {@code System.out}. */
    public static Cifar10Download standard() {
        return new Cifar10Download(OFFICIAL_URL, OFFICIAL_MD5, defaultCacheDir(), System.out);
    }

    /** {@code $DESCENT_DATA} if set and not blank, else {@code ~/.cache/descent}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("DESCENT_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "descent");
    }

    /** The cache folder. */
    public Path cacheDir() {
        return cacheDir;
    }

    /** Where the downloaded archive lives. */
    public Path archivePath() {
        return cacheDir.resolve(Cifar10Files.ARCHIVE);
    }

    /**
     * A folder or archive holding CIFAR-10, from the cache, downloading the archive first if the cache holds none.
     * Pass the result to {@link Cifar10#load}.
     *
     * @throws UncheckedIOException if the download fails (e.g. offline); the message says which files to put where
     * @throws Cifar10FormatException if the downloaded archive's MD5 does not match
     */
    public Path ensure() {
        Path extracted = cacheDir.resolve(Cifar10Files.FOLDER);
        if (Files.isDirectory(extracted)) {
            return extracted;
        }
        Path folder = cacheDir.resolve("cifar-10");
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Path archive = archivePath();
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        return download();
    }

    /** Downloads the archive to {@link #archivePath()} (replacing any file there) and returns that path. */
    public Path download() {
        Path target = archivePath();
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir);
            tmp = Files.createTempFile(cacheDir, Cifar10Files.ARCHIVE + ".", ".part");
            String got;
            long bytes;
            URLConnection conn = url.toURL().openConnection();
            conn.setConnectTimeout(15_000);
            conn.setReadTimeout(60_000);
            if (conn instanceof HttpURLConnection http && http.getResponseCode() != 200) {
                throw new IOException("HTTP " + http.getResponseCode() + " " + http.getResponseMessage());
            }
            long total = conn.getContentLengthLong();
            MessageDigest digest = MessageDigest.getInstance("MD5");
            try (InputStream in = conn.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                bytes = copy(in, out, digest, total);
            }
            got = HexFormat.of().formatHex(digest.digest());
            if (!got.equals(md5)) {
                throw new Cifar10FormatException(url.toString(), -1, -1, "MD5 checksum mismatch: expected " + md5
                        + ", got " + got + " over " + bytes + " bytes; the download was discarded, nothing was "
                        + "written to " + target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not download CIFAR-10 from " + url + " (" + e + "). Without "
                    + "internet, put " + Cifar10Files.ARCHIVE + " (MD5 " + md5 + ") in " + cacheDir
                    + ", or its extracted folder " + Cifar10Files.FOLDER + "/ (data_batch_1.bin ... data_batch_5.bin, "
                    + "test_batch.bin; .bin.gz also works) in " + cacheDir + ", or set DESCENT_DATA to a folder "
                    + "holding them, or pass the folder to Cifar10.load(...)", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the name ends with .part and is never trusted
                }
            }
        }
    }

    private long copy(InputStream in, OutputStream out, MessageDigest digest, long total) throws IOException {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        long start = System.nanoTime();
        long lastDraw = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            digest.update(buf, 0, n);
            done += n;
            long now = System.nanoTime();
            if (progress != null && now - lastDraw > 250_000_000L) {
                progress.print("\r" + progressBar(done, total, (now - start) / 1e9));
                progress.flush();
                lastDraw = now;
            }
        }
        if (progress != null) {
            progress.println("\r" + progressBar(done, total, (System.nanoTime() - start) / 1e9));
        }
        return done;
    }

    /** One line: {@code [#########-----------]  45%  76.2 / 170.5 MB  12.3 MB/s}. */
    static String progressBar(long done, long total, double seconds) {
        double mb = done / 1e6;
        double rate = seconds > 0 ? mb / seconds : 0;
        if (total <= 0) {
            return String.format(Locale.ROOT, "CIFAR-10  %.1f MB  %.1f MB/s", mb, rate);
        }
        int width = 30;
        int filled = (int) Math.min(width, width * done / total);
        return String.format(Locale.ROOT, "CIFAR-10 [%s%s] %3d%%  %.1f / %.1f MB  %.1f MB/s",
                "#".repeat(filled), "-".repeat(width - filled), 100 * done / total, mb, total / 1e6, rate);
    }

    /** MD5 of a file, as 32 lower-case hex digits. */
    public static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
