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
        boolean first = Interrupts.installSigintHandler();
        assertEquals(first, Interrupts.installSigintHandler());
    }

    @Test
    void anOptimizerRefusesItsStepAfterAStopRequestAndChangesNothing() {
        var opt = descent.optim.Optimizers.create("adam", java.util.Map.of("lr", 0.1));
        var p = org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, 2.0, 3.0);
        var g = org.nd4j.linalg.factory.Nd4j.createFromArray(0.5, -0.5, 1.0);
        var before = p.dup();
        Interrupts.clear();
        Interrupts.request();
        var e = assertThrows(Interrupts.StopRequested.class, () -> opt.step(p, g));
        assertTrue(e.getMessage().contains("adam step"), e.getMessage());
        assertEquals(before, p);
        Interrupts.newCell();   // what the kernel does when the next cell starts
        opt.step(p, g);
        assertNotEquals(before, p);
    }

    @Test
    void aSecondStopOfTheSameCellIsReportedAsAForceStop() throws Exception {
        Interrupts.clear();
        String first = Interrupts.stopRunningCell();
        assertTrue(first.startsWith("stop requested"), first);
        Thread.sleep(1100);
        String second = Interrupts.stopRunningCell();
        assertTrue(second.startsWith("second stop"), second);
        Interrupts.newCell();
        assertTrue(Interrupts.stopRunningCell().startsWith("stop requested"));
    }

    @Test
    void theSigintStatusSaysWhetherTheHandlerIsInPlace() {
        boolean ok = Interrupts.installSigintHandler();
        assertEquals(ok, Interrupts.sigintHandlerInstalled());
        assertEquals(ok, Interrupts.sigintStatus().equals("installed"), Interrupts.sigintStatus());
        assertEquals(!ok, Interrupts.sigintIgnoredByLauncher());
    }
}
