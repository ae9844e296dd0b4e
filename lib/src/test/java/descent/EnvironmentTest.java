package descent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class EnvironmentTest {
    @Test
    void reportsBackendAndNativeBuild() {
        var facts = Environment.facts();
        assertTrue(facts.get("ND4J backend").contains("Cpu"), facts.toString());
        assertTrue(facts.get("ND4J native build").startsWith("linux-x86_64") || !System.getProperty("os.name").contains("Linux"),
                facts.toString());
        assertEquals(facts.size(), Environment.table().rowCount());
        System.out.println(Environment.table().printAll());
    }
}
