package descent.notebooks;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The notebooks in a real browser: starts {@code ./descent lab}, then {@code notebooks/browser/browser_test.mjs}
 * drives headless Chromium through it (00-welcome and 04-optimizers run all cells: no error output, every image
 * loaded, tables rendered; the stop button ends a sleep loop and a training loop and the next cell runs; 5 fresh
 * kernel starts, first-result times printed). Once against the Notebook server launched with SIGINT at its default
 * (a terminal), and once against JupyterLab, where it is installed, launched with SIGINT ignored (a background job,
 * a service manager): the stop button must work in both. {@code ./descent test} installs Chromium (Debian package)
 * and playwright-core (npm); where they could not be installed this test is skipped and says why.
 */
class BrowserTest {
    private static final Path ROOT = NotebookRunner.ROOT;
    private static final Path SCRIPT = ROOT.resolve("notebooks/browser/browser_test.mjs");

    @Test
    void notebookServerWithSigintAtItsDefault() throws Exception {
        run("notebook", false);
    }

    @Test
    void jupyterLabWithSigintIgnored() throws Exception {
        Assumptions.assumeTrue(hasModule("jupyterlab"),
                "skipped: JupyterLab is not installed for " + NotebookRunner.PYTHON + " (the Notebook server test ran)");
        run("lab", true);
    }

    private static void run(String app, boolean ignoreSigint) throws Exception {
        String why = missing();
        if (why != null) {
            System.out.println("BrowserTest skipped: " + why);
            Assumptions.abort(why);
        }
        int port = freePort();
        String token = UUID.randomUUID().toString().replace("-", "");
        Path log = Files.createTempFile("descent-lab-" + app, ".log");
        // The launcher sets SIGINT's disposition and execs ./descent lab, which passes it on to Jupyter and kernels.
        List<String> server = List.of(NotebookRunner.PYTHON, "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[1] == 'ignore' else signal.SIG_DFL);"
                        + " os.execvp(sys.argv[2], sys.argv[2:])",
                ignoreSigint ? "ignore" : "default", ROOT.resolve("descent").toString(), "lab", "--no-browser",
                "--app", app, "--port", String.valueOf(port));
        ProcessBuilder pb = new ProcessBuilder(server).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DESCENT_SKIP_SETUP", "1");
        pb.environment().put("DESCENT_TOKEN", token);
        pb.environment().put("DESCENT_PROFILE", "smoke");
        Process lab = pb.start();
        try {
            String base = "http://127.0.0.1:" + port;
            waitForServer(base, token, lab, log);
            Path out = ROOT.resolve("target/browser/" + app);
            List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), "--url", base, "--token", token,
                    "--ui", app, "--out", out.toString(), "--starts", "5",
                    "--chromium", chromium()));
            ProcessBuilder nb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            Path nodeLog = Files.createTempFile("descent-browser-" + app, ".log");
            nb.redirectOutput(nodeLog.toFile());
            Process node = nb.start();
            boolean finished = node.waitFor(900, TimeUnit.SECONDS);
            if (!finished) {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
            String output = Files.readString(nodeLog);
            System.out.println("---- browser test, " + app + (ignoreSigint ? ", SIGINT ignored" : ", SIGINT default")
                    + " ----\n" + output);
            assertTrue(finished, "browser test did not finish in 900 s\n" + output);
            assertEquals(0, node.exitValue(), "browser test failed (" + app + "); screenshots in " + out
                    + "\n" + output + "\n---- server log (tail) ----\n" + tail(log, 60));
            assertTrue(output.contains(", 0 failed"), output);
        } finally {
            lab.descendants().forEach(ProcessHandle::destroy);
            lab.destroy();
            if (!lab.waitFor(20, TimeUnit.SECONDS)) {
                lab.descendants().forEach(ProcessHandle::destroyForcibly);
                lab.destroyForcibly();
            }
        }
    }

    /** Why the browser test cannot run here, or null. */
    static String missing() {
        if (onPath("node") == null) {
            return "Node.js is not installed (./descent test installs it with apt when run as root)";
        }
        if (!Files.isDirectory(ROOT.resolve("notebooks/browser/node_modules/playwright-core"))) {
            return "playwright-core is not installed in notebooks/browser (./descent test runs npm there)";
        }
        if (chromium() == null) {
            return "Chromium is not installed (./descent test installs Debian's 'chromium' when run as root; "
                    + "or set DESCENT_CHROMIUM to a Chrome/Chromium binary)";
        }
        return null;
    }

    static String chromium() {
        String env = System.getenv("DESCENT_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return env;
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            String path = onPath(name);
            if (path != null) {
                return path;
            }
        }
        return null;
    }

    /** The executable {@code name} from PATH, or null. */
    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static boolean hasModule(String module) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(NotebookRunner.PYTHON, "-c", "import " + module).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForServer(String base, String token, Process lab, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!lab.isAlive()) {
                fail("./descent lab exited with " + lab.exitValue() + "\n" + tail(log, 60));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(base + "/api/status").toURL().openConnection();
                c.setRequestProperty("Authorization", "token " + token);
                c.setConnectTimeout(1000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            Thread.sleep(500);
        }
        fail("the Jupyter server did not answer within 120 s\n" + tail(log, 60));
    }

    private static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
