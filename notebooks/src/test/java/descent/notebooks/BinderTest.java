package descent.notebooks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * repo2docker cannot run here, so this runs what it would: {@code binder/postBuild} with a clean HOME and an empty
 * Jupyter data dir, then executes 00-welcome through the kernel that postBuild installed (found through the
 * user's Jupyter data dir alone, not the project-local one).
 */
class BinderTest {
    @TempDir
    Path home;

    @Test
    void postBuildInstallsAKernelThatRunsTheWelcomeNotebook() throws Exception {
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
        ProcessBuilder pb = new ProcessBuilder("bash", NotebookRunner.ROOT.resolve("binder/postBuild").toString())
                .directory(NotebookRunner.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("JUPYTER_PATH");
        pb.environment().remove("JUPYTER_DATA_DIR");
        // Only so the test does not download the Maven repository again: the build itself is unchanged.
        pb.environment().put("MAVEN_OPTS", "-Dmaven.repo.local=" + m2);
        Path log = home.resolve("postBuild.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "postBuild did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), () -> "postBuild failed:\n" + read(log));

        Path kernelJson = home.resolve(".local/share/jupyter/kernels/java/kernel.json");
        assertTrue(Files.isRegularFile(kernelJson), "kernelspec not installed in the user's data dir:\n" + read(log));
        assertTrue(Files.readString(kernelJson).contains("\"display_name\": \"Java (Descent)\""));

        Path out = home.resolve("out");
        ProcessBuilder run = new ProcessBuilder(List.of(NotebookRunner.PYTHON,
                NotebookRunner.ROOT.resolve("notebooks/harness/nbrun.py").toString(), "--out", out.toString(),
                "--notebook-timeout", "180", NotebookRunner.ROOT.resolve("notebooks/00-welcome.ipynb").toString()))
                .directory(NotebookRunner.ROOT.toFile()).redirectErrorStream(true);
        run.environment().put("HOME", home.toString());
        run.environment().remove("JUPYTER_PATH");
        run.environment().remove("JUPYTER_DATA_DIR");
        run.environment().put("DESCENT_PROFILE", "smoke");
        Path runLog = home.resolve("run.log");
        run.redirectOutput(runLog.toFile());
        Process r = run.start();
        assertTrue(r.waitFor(300, TimeUnit.SECONDS), "00-welcome did not finish");
        assertEquals(0, r.exitValue(), () -> "00-welcome failed through the Binder kernel:\n" + read(runLog));
        assertTrue(read(runLog).contains("00-welcome.ipynb  ok"), read(runLog));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
