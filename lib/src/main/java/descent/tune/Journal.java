package descent.tune;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A study's journal file: one JSON object a line, appended as the study runs.
 *
 * <pre>
 *   {"journal":1,"direction":"minimize","space":[{"name":"lr","kind":"LOG_UNIFORM","lo":1.0E-4,"hi":0.1,
 *                                                   "categories":[]},...]}          (one line, the header)
 *   {"event":"created","trial":0,"params":{"lr":0.0031,...}}     ("retryOf":n when it reruns trial n)
 *   {"event":"reported","trial":0,"step":1,"value":0.52}
 *   {"event":"ended","trial":0,"state":"COMPLETE","value":0.41,"error":null,"seconds":12.5}
 * </pre>
 *
 * Each line is written whole with one write and forced to disk (fsync) before the study goes on, so a crash leaves
 * at most a torn last line: reading ignores it with a warning, and cuts it off so that the next line starts clean.
 * A bad line anywhere else (the header included) is an error naming the file and the line; the file is then left
 * as it is, as it is when the header shows another space or direction. Values that are not finite are written as null.
 */
final class Journal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Space space;
    private final List<Trial> trials = new ArrayList<>();
    private final Map<Integer, Integer> retryOf = new HashMap<>();   // trial number -> the trial it reruns

    private Journal(Path file, Space space) {
        this.file = file;
        this.space = space;
    }

    /**
     * Opens {@code file} for a study over {@code space} in the given direction: writes the header when the file is
     * new or empty, else checks the header and reads the events back into {@link #trials()}.
     */
    static Journal open(Path file, Space space, boolean minimize) {
        Journal j = new Journal(file, space);
        ObjectNode header = JSON.createObjectNode();
        header.put("journal", 1);
        header.put("direction", minimize ? "minimize" : "maximize");
        header.set("space", describe(space));
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                j.append(header);
            } else {
                j.read(header);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file, e);
        }
        return j;
    }

    /** The trials read from the file, in order: ended ones with their state, the others still RUNNING. */
    List<Trial> trials() {
        return trials;
    }

    /** Whether a trial read from the file reran an interrupted one (it has {@code "retryOf"}). */
    boolean isRetry(Trial trial) {
        return retryOf.containsKey(trial.number());
    }

    /** Whether a trial read from the file was already run again (a later trial has {@code "retryOf"} its number). */
    boolean retried(Trial trial) {
        return retryOf.containsValue(trial.number());
    }

    void created(Trial trial, Trial rerun) {
        ObjectNode e = event("created", trial);
        ObjectNode params = e.putObject("params");
        for (String name : space.names()) {
            params.set(name, JSON.valueToTree(trial.params().get(name)));
        }
        if (rerun != null) {
            e.put("retryOf", rerun.number());
        }
        append(e);
    }

    void reported(Trial trial, int step, double value) {
        ObjectNode e = event("reported", trial);
        e.put("step", step);
        e.put("value", value);
        append(e);
    }

    void ended(Trial trial) {
        ObjectNode e = event("ended", trial);
        e.put("state", trial.state().name());
        putNumber(e, "value", trial.value());
        e.put("error", trial.error());
        putNumber(e, "seconds", trial.seconds());
        append(e);
    }

    private static ObjectNode event(String kind, Trial trial) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event", kind);
        e.put("trial", trial.number());
        return e;
    }

    private static void putNumber(ObjectNode e, String name, double v) {
        if (Double.isFinite(v)) {
            e.put(name, v);
        } else {
            e.putNull(name);
        }
    }

    /** One line, written with a single write and forced to disk. */
    private synchronized void append(JsonNode line) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a journal line: " + e.getMessage(), e);
        }
        // FileOutputStream, not a FileChannel: the stop button's interrupt must not close the file midway.
        try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
            out.write(bytes);
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the journal " + file, e);
        }
    }

    private static ArrayNode describe(Space space) {
        ArrayNode dims = JSON.createArrayNode();
        for (Space.Dimension d : space.dimensions()) {
            ObjectNode n = dims.addObject();
            n.put("name", d.name());
            n.put("kind", d.kind().name());
            n.put("lo", d.lo());
            n.put("hi", d.hi());
            ArrayNode categories = n.putArray("categories");
            d.categories().forEach(categories::add);
        }
        return dims;
    }

    private void read(ObjectNode header) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<JsonNode> events = new ArrayList<>();
        int start = 0;
        int torn = -1;   // where a torn last line starts
        for (int line = 0; start < bytes.length; line++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            JsonNode event = parse(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            if (event == null && (line == 0 || end < bytes.length - 1)) {
                throw damaged(line, line == 0 ? "not a study journal" : "not a JSON object");
            }
            if (event == null) {
                System.err.println("descent.tune: the journal " + file + " ends with a torn line " + (line + 1)
                        + " (the process ended while writing it); ignored");
                torn = start;
            } else {
                events.add(event);
            }
            start = end + 1;
        }
        check(events.get(0), JSON.readTree(JSON.writeValueAsString(header)));
        for (int i = 1; i < events.size(); i++) {
            replay(events.get(i), i);
        }
        if (torn >= 0) {   // cut it off, so that the next line starts clean
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(torn);
            }
        } else if (bytes[bytes.length - 1] != '\n') {   // a whole last line that lost its newline
            try (FileOutputStream out = new FileOutputStream(file.toFile(), true)) {
                out.write('\n');
            }
        }
    }

    /** Refuses a header that is not {@code expected}'s: another direction or another space. */
    private void check(JsonNode found, JsonNode expected) {
        if (!found.has("journal")) {
            throw damaged(0, "not a study journal (no \"journal\" header)");
        }
        if (!found.path("direction").equals(expected.get("direction"))) {
            throw new IllegalArgumentException("the journal " + file + " belongs to a study that "
                    + found.path("direction").asText() + "s; this study " + expected.get("direction").asText()
                    + "s; use another file or the same direction");
        }
        if (!found.path("space").equals(expected.get("space"))) {
            throw new IllegalArgumentException("the journal " + file + " was written for another space: "
                    + found.path("space") + "; this study's space is " + expected.get("space")
                    + "; use another file or the same space");
        }
    }

    /** The JSON object on one line, or null when the line is not one. */
    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void replay(JsonNode e, int line) {
        String kind = e.path("event").asText();
        int number = field(e, "trial", line).asInt();
        if (kind.equals("created")) {
            if (number != trials.size()) {
                throw damaged(line, "trial " + number + " created where trial " + trials.size() + " was expected");
            }
            trials.add(new Trial(number, params(field(e, "params", line), line)));
            if (e.has("retryOf")) {
                retryOf.put(number, field(e, "retryOf", line).asInt());
            }
            return;
        }
        if (number >= trials.size()) {
            throw damaged(line, "event for trial " + number + ", which was not created");
        }
        Trial t = trials.get(number);
        switch (kind) {
            case "reported" -> t.report(field(e, "step", line).asInt(), field(e, "value", line).asDouble());
            case "ended" -> {
                double secs = e.path("seconds").isNumber() ? e.get("seconds").asDouble() : Double.NaN;
                switch (e.path("state").asText()) {
                    case "COMPLETE" -> t.complete(field(e, "value", line).asDouble(), secs);
                    case "PRUNED" -> t.prune(secs);
                    case "FAILED" -> t.fail(e.path("error").asText(), secs);
                    default -> throw damaged(line, "unknown state " + e.path("state"));
                }
            }
            default -> throw damaged(line, "unknown event " + e.path("event"));
        }
    }

    /** The field {@code name} of an event: a number (an object for params), else the journal is damaged. */
    private JsonNode field(JsonNode e, String name, int line) {
        JsonNode v = e.get(name);
        if (v == null || (name.equals("params") ? !v.isObject() : !v.isNumber())) {
            throw damaged(line, "event " + e.path("event") + " without a valid \"" + name + "\"");
        }
        return v;
    }

    private Map<String, Object> params(JsonNode node, int line) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (Space.Dimension d : space.dimensions()) {
            JsonNode v = node.get(d.name());
            if (v == null) {
                throw damaged(line, "no value for parameter '" + d.name() + "'");
            }
            params.put(d.name(), d.kind() == Space.Kind.CATEGORICAL ? v.asText()
                    : d.isDiscrete() ? (Object) v.asInt() : (Object) v.asDouble());
        }
        return params;
    }

    private IllegalStateException damaged(int line, String why) {
        return new IllegalStateException("the journal " + file + " is damaged at line " + (line + 1) + ": " + why);
    }
}
