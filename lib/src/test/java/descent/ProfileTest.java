package descent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ProfileTest {
    @Test
    void parsesTheThreeProfiles() {
        assertEquals(Profile.SMOKE, Profile.parse("smoke"));
        assertEquals(Profile.DEFAULT, Profile.parse(" Default "));
        assertEquals(Profile.FULL, Profile.parse("FULL"));
        assertEquals(3, Profile.FULL.choose(1, 2, 3));
        assertEquals(1, Profile.SMOKE.choose(1, 2, 3));
    }

    @Test
    void unknownProfileNamesTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Profile.parse("quick"));
        assertTrue(e.getMessage().contains("quick"));
        assertTrue(e.getMessage().contains("smoke") && e.getMessage().contains("default") && e.getMessage().contains("full"));
    }

    @Test
    void systemPropertySelectsTheProfile() {
        String old = System.getProperty("descent.profile");
        try {
            System.setProperty("descent.profile", "full");
            assertEquals(Profile.FULL, Profile.current());
            assertEquals("f", Profile.pick("s", "d", "f"));
        } finally {
            if (old == null) System.clearProperty("descent.profile"); else System.setProperty("descent.profile", old);
        }
    }
}
