package descent;

import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/** What this notebook runs on: Java, the ND4J backend and native build, the CPU features it can use, threads. */
public final class Environment {
    private Environment() {
    }

    /** CPU instruction-set extensions that matter for ND4J's native kernels. */
    private static final List<String> CPU_FEATURES = List.of("sse4_2", "avx", "avx2", "fma", "avx512f");

    /**
     * Prints the environment table (also loads ND4J once, unpacking its native libraries, and oneDNN's where the
     * convolutions use it).
     */
    public static void main(String[] args) {
        System.out.println(table().printAll());
    }

    /** One row per fact, as an ordered map (name → value). */
    public static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        facts.put("Profile", Profile.current().id());
        facts.put("ND4J backend", Nd4j.getBackend().getClass().getSimpleName());
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        facts.put("ND4J native build", nativeBuild());
        facts.put("BLAS", String.valueOf(env.getOrDefault("blas.vendor", "?")));
        facts.put("oneDNN helpers", String.valueOf(Nd4j.getEnvironment().helpersAllowed()));
        facts.put("FLOAT convolutions", descent.nn.Backend.convolutions());
        facts.put("CPU features (used by the build)", String.join(" ", cpuFeatures()));
        facts.put("ND4J threads (OMP)", String.valueOf(env.getOrDefault("omp.threads", Nd4j.getEnvironment().maxThreads())));
        facts.put("Available processors", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("Max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
        facts.put("Max off-heap (JavaCPP)", (org.bytedeco.javacpp.Pointer.maxBytes() >> 20) + " MiB");
        facts.put("Stop button", "interrupt_request message (descent.kernel.KernelMain); SIGINT handler "
                + Interrupts.sigintStatus());
        return facts;
    }

    /** The facts as a two-column table. */
    public static Table table() {
        StringColumn names = StringColumn.create("fact");
        StringColumn values = StringColumn.create("value");
        facts().forEach((k, v) -> {
            names.append(k);
            values.append(v);
        });
        return Table.create("Environment", names, values);
    }

    /** Peak resident set size of this process in MB (VmHWM of /proc/self/status), NaN where unavailable. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * The native ND4J library variant actually loaded, e.g. {@code linux-x86_64-onednn-avx2}: the folder name of
     * {@code libnd4jcpu} in JavaCPP's cache, which names the {@code nd4j-native} classifier it came from.
     */
    public static String nativeBuild() {
        Nd4j.getBackend(); // make sure the native library is loaded
        for (String path : org.bytedeco.javacpp.Loader.getLoadedLibraries().values()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bindings/([^/]+)/lib(jni)?nd4jcpu").matcher(path);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "unknown (libnd4jcpu not found among JavaCPP's loaded libraries)";
    }

    /** Which of the relevant CPU features this processor reports (Linux /proc/cpuinfo). */
    public static List<String> cpuFeatures() {
        Optional<Set<String>> flags = cpuFlags();
        if (flags.isEmpty()) {
            return List.of("unknown (no /proc/cpuinfo)");
        }
        return CPU_FEATURES.stream().filter(flags.get()::contains).toList();
    }

    /** Every feature flag of the processor's first "flags" line in Linux's /proc/cpuinfo; empty where it is unreadable. */
    public static Optional<Set<String>> cpuFlags() {
        try {
            String flagsLine = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("flags")).findFirst().orElse("");
            String[] flags = flagsLine.replaceFirst("^flags\\s*:", "").trim().split("\\s+");
            return Optional.of(Set.copyOf(Arrays.asList(flags)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
