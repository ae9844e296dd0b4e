package descent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DownloadTest {

    @TempDir
    Path tmp;

    private Path archive() {
        Path a = tmp.resolve("served").resolve(Cifar10Files.ARCHIVE);
        Synthetic.writeCifar10Archive(a, 30, 10, 11);
        return a;
    }

    private List<String> cacheFiles(Path cache) throws IOException {
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsFromFileUrlVerifiesAndRenames() throws IOException {
        Path a = archive();
        Path cache = tmp.resolve("cache");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Cifar10Download dl = new Cifar10Download(a.toUri(), Cifar10Download.md5(a), cache,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        Path got = dl.ensure();
        assertEquals(cache.resolve(Cifar10Files.ARCHIVE), got);
        assertEquals(List.of(Cifar10Files.ARCHIVE), cacheFiles(cache), "no .part file left");
        assertEquals(Files.size(a), Files.size(got));
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("100%"), progress.toString());
        Cifar10Test.assertSame(Synthetic.cifar10(30, 11, Cifar10.Split.TRAIN), Cifar10.train(got));
        Cifar10Test.assertSame(Synthetic.cifar10(10, 12, Cifar10.Split.TEST), Cifar10.test(got));
        // A second ensure() uses the cache: the source may disappear.
        Files.delete(a);
        assertEquals(got, dl.ensure());
    }

    @Test
    void checksumMismatchLeavesNoFile() throws IOException {
        Path a = archive();
        Path cache = tmp.resolve("cache");
        Cifar10Download dl = new Cifar10Download(a.toUri(), "0123456789abcdef0123456789abcdef", cache, null);
        Cifar10FormatException e = assertThrows(Cifar10FormatException.class, dl::ensure);
        assertTrue(e.getMessage().contains("MD5 checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(a.toUri().toString()), e.getMessage());
        assertEquals(List.of(), cacheFiles(cache), "neither the archive nor a .part file");
    }

    @Test
    void downloadsOverHttpAndSurvivesABrokenConnection() throws Exception {
        byte[] body = Files.readAllBytes(archive());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/good", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/broken", ex -> {
            // Promise the whole body, send half, then drop the connection.
            ex.sendResponseHeaders(200, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            String md5 = Cifar10Download.md5(tmp.resolve("served").resolve(Cifar10Files.ARCHIVE));

            Path cache1 = tmp.resolve("c1");
            RuntimeException broken = assertThrows(RuntimeException.class,
                    () -> new Cifar10Download(URI.create(base + "/broken"), md5, cache1, null).ensure());
            assertTrue(broken instanceof UncheckedIOException || broken instanceof Cifar10FormatException,
                    broken.toString());
            assertEquals(List.of(), cacheFiles(cache1), "a broken download leaves nothing behind");

            Path cache2 = tmp.resolve("c2");
            UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                    () -> new Cifar10Download(URI.create(base + "/missing"), md5, cache2, null).ensure());
            assertTrue(missing.getMessage().contains("HTTP 404"), missing.getMessage());
            assertEquals(List.of(), cacheFiles(cache2));

            Path cache3 = tmp.resolve("c3");
            Path got = new Cifar10Download(URI.create(base + "/good"), md5, cache3, null).ensure();
            assertEquals(List.of(Cifar10Files.ARCHIVE), cacheFiles(cache3));
            assertEquals(30, Cifar10.train(got).size());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void offlineErrorSaysWhichFilesToPutWhere() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cache = tmp.resolve("cache");
        Cifar10Download dl = new Cifar10Download(URI.create("http://127.0.0.1:" + port + "/x.tar.gz"),
                Cifar10Download.OFFICIAL_MD5, cache, null);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, dl::ensure);
        String m = e.getMessage();
        assertTrue(m.contains("cifar-10-binary.tar.gz") && m.contains(cache.toString()), m);
        assertTrue(m.contains("data_batch_1.bin") && m.contains("test_batch.bin"), m);
        assertEquals(List.of(), cacheFiles(cache));
    }

    @Test
    void cachePrefersExtractedFolders() {
        Path cache = tmp.resolve("cache");
        Synthetic.writeCifar10Folder(cache.resolve("cifar-10"), 10, 10, 1, true);
        Cifar10Download dl = new Cifar10Download(URI.create("http://127.0.0.1:9/none"),
                Cifar10Download.OFFICIAL_MD5, cache, null);
        assertEquals(cache.resolve("cifar-10"), dl.ensure());
        assertEquals(10, Cifar10.test(dl.ensure()).size());
    }

    @Test
    void progressBarLine() {
        assertEquals("CIFAR-10 [###############---------------]  50%  85.0 / 170.0 MB  42.5 MB/s",
                Cifar10Download.progressBar(85_000_000, 170_000_000, 2.0));
        assertThrows(IllegalArgumentException.class,
                () -> new Cifar10Download(URI.create("file:/x"), "abc", tmp, null));
    }
}
