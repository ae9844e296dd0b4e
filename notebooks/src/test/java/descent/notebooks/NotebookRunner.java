package descent.notebooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code notebooks/harness/nbrun.py} (nbclient + the installed Java kernel) and captures what it says. */
final class NotebookRunner {
    static final Path ROOT = Path.of(System.getProperty("descent.root", "..")).toAbsolutePath().normalize();
    static final String PYTHON = System.getProperty("descent.python", "/usr/bin/python3");

    record Result(int exitCode, String output) {
    }

    private NotebookRunner() {
    }

    static Result run(Path notebook, String profile, int notebookTimeoutSeconds, Path outDir) throws IOException, InterruptedException {
        return run(List.of(notebook), profile, notebookTimeoutSeconds, outDir);
    }

    /** Runs the notebooks one after the other, each in a fresh kernel with its own budget. */
    static Result run(List<Path> notebooks, String profile, int notebookTimeoutSeconds, Path outDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, ROOT.resolve("notebooks/harness/nbrun.py").toString(),
                "--out", outDir.toString(), "--notebook-timeout", String.valueOf(notebookTimeoutSeconds),
                "--cell-timeout", String.valueOf(notebookTimeoutSeconds)));
        notebooks.forEach(nb -> command.add(nb.toString()));
        return exec(command, profile, notebooks.size() * (notebookTimeoutSeconds + 120));
    }

    /** {@code notebooks/harness/lecture.py <what> <notebooks...>}: the lecture format's static checks. */
    static Result lecture(String what, Path... notebooks) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, ROOT.resolve("notebooks/harness/lecture.py").toString(), what));
        for (Path notebook : notebooks) {
            command.add(notebook.toString());
        }
        return exec(command, "smoke", 60);
    }

    static Result exec(List<String> command, String profile, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("DESCENT_PROFILE", profile);
        String jupyterPath = ROOT.resolve("target/jupyter").toString();
        String existing = System.getenv("JUPYTER_PATH");
        pb.environment().put("JUPYTER_PATH", existing == null || existing.isEmpty() ? jupyterPath : jupyterPath + ":" + existing);
        Path log = Files.createTempFile("nbrun", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Result(-1, "runner did not finish within " + timeoutSeconds + " s\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(p.exitValue(), out);
    }
}
