package descent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class InterruptsTest {
    @AfterEach
    void clear() {
        Interrupts.clear();
    }

    @Test
    void aRequestIsSeenUntilCleared() {
        Interrupts.clear();
        assertFalse(Interrupts.requested());
        long before = Interrupts.count();
        Interrupts.request();
        assertTrue(Interrupts.requested());
        assertEquals(before + 1, Interrupts.count());
        Interrupts.clear();
        assertFalse(Interrupts.requested());
    }

    @Test
    void theCurrentThreadsInterruptFlagCountsAsARequest() {
        Interrupts.clear();
        Thread.currentThread().interrupt();
        assertTrue(Interrupts.requested());
        Interrupts.clear();
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void installingTheHandlerTwiceIsHarmless() {
        Interrupts.installSigintHandler();
        Interrupts.installSigintHandler();
        assertTrue(Interrupts.sigintHandlerInstalled());
    }
}
