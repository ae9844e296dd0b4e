package descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Notebook 04 shows each optimizer's {@code update} method "as in the library": the text shown must be the library's
 * current code (whitespace of the indentation aside), so the notebook cannot drift from what runs.
 */
class NotebookSourceTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getFileName().toString().equals("lib")
            ? Path.of("..") : Path.of(".");
    private static final Pattern CELL = Pattern.compile("^`descent\\.optim\\.(\\w+)` keeps[\\s\\S]*?```java\\n([\\s\\S]*?)\\n```");

    /** The method starting at {@code protected void update(} in the class's source, braces matched, de-indented. */
    static String updateMethod(String className) throws IOException {
        String src = Files.readString(ROOT.resolve("lib/src/main/java/descent/optim/" + className + ".java"));
        int i = src.indexOf("    protected void update(");
        assertTrue(i >= 0, className + " has no update method");
        int depth = 0;
        int k = src.indexOf('{', i);
        for (; ; k++) {
            char c = src.charAt(k);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                break;
            }
        }
        List<String> lines = new ArrayList<>();
        for (String line : src.substring(i, k + 1).split("\n")) {
            lines.add(line.startsWith("    ") ? line.substring(4) : line);
        }
        return String.join("\n", lines);
    }

    @Test
    void everyUpdateMethodShownInNotebook04IsTheLibrarysCode() throws IOException {
        JsonNode nb = new ObjectMapper().readTree(ROOT.resolve("notebooks/04-optimizers.ipynb").toFile());
        List<String> shown = new ArrayList<>();
        for (JsonNode cell : nb.get("cells")) {
            if (!cell.get("cell_type").asText().equals("markdown")) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            cell.get("source").forEach(line -> text.append(line.asText()));
            Matcher m = CELL.matcher(text);
            if (m.find()) {
                shown.add(m.group(1));
                assertEquals(updateMethod(m.group(1)), m.group(2), "notebook 04's listing of " + m.group(1)
                        + ".update differs from lib/src/main/java/descent/optim/" + m.group(1) + ".java");
            }
        }
        assertEquals(List.of("Sgd", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "AMSGrad", "AdamW",
                "Adamax", "NAdam"), shown, "the eleven rules of Optimizers.names(), in notebook order");
    }
}
