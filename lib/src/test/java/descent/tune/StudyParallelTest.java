package descent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import descent.Interrupts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Studies that run several trials at a time. */
class StudyParallelTest {

    static final Space SPACE = Space.builder().uniform("x", -1, 1).build();

    /** The random sampler, noting whether two calls ever overlapped. */
    static final class WatchedSampler implements Sampler {
        final Sampler random = Samplers.create("random", 11);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public Map<String, Object> sample(Space space, List<Trial> trials, boolean minimize) {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            try {
                Thread.sleep(2);   // widen the window an unserialized call would hit
                calls.incrementAndGet();
                return random.sample(space, trials, minimize);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                inside.decrementAndGet();
            }
        }

        @Override
        public String name() {
            return "watched random";
        }
    }

    @Test
    void twoWorkersRunAllTrialsWithTheSamplerAndListenersOneAtATime() {
        WatchedSampler sampler = new WatchedSampler();
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        List<Integer> ended = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger inListener = new AtomicInteger();
        AtomicBoolean listenersOverlapped = new AtomicBoolean();
        Study study = Study.minimize(SPACE, sampler).listener((s, t) -> {
            if (inListener.incrementAndGet() > 1) {
                listenersOverlapped.set(true);
            }
            ended.add(t.number());
            assertTrue(t.state() != Trial.State.RUNNING, "ended: " + t);
            inListener.decrementAndGet();
        });
        study.optimize(t -> {
            if (t.number() < 2) {
                bothRunning.await(10, TimeUnit.SECONDS);   // trials 0 and 1 run at the same time, or this times out
            }
            if (t.number() % 5 == 4) {
                throw new IllegalStateException("trial " + t.number() + " fails");
            }
            Thread.sleep(5);
            return t.getDouble("x") * t.getDouble("x");
        }, 30, 2);
        List<Trial> trials = study.trialList();
        assertEquals(30, trials.size());
        Set<Integer> numbers = new HashSet<>();
        trials.forEach(t -> numbers.add(t.number()));
        assertEquals(IntStream.range(0, 30).boxed().collect(Collectors.toSet()), numbers, "numbers 0 to 29, once each");
        assertEquals(30, sampler.calls.get());
        assertFalse(sampler.overlapped.get(), "the sampler was called by two threads at once");
        assertEquals(6, trials.stream().filter(t -> t.state() == Trial.State.FAILED).count());
        assertEquals(24, trials.stream().filter(t -> t.state() == Trial.State.COMPLETE).count());
        assertEquals(30, ended.size());
        assertEquals(numbers, new HashSet<>(ended), "the listener heard of each trial once");
        assertFalse(listenersOverlapped.get());
    }

    @Test
    void theStopButtonEndsAParallelStudyAndItsTrialRunsAgainNextTime() {
        AtomicInteger trialsWhenStopped = new AtomicInteger();
        Study study = Study.minimize(SPACE, Samplers.create("random", 3)).listener((s, t) -> {
            if (t.number() == 6) {
                trialsWhenStopped.set(s.trialList().size());
            }
        });
        study.optimize(t -> {
            if (t.number() == 6) {
                throw new Interrupts.StopRequested("trial 6");
            }
            Thread.sleep(5);
            return t.getDouble("x");
        }, 50, 2);
        List<Trial> trials = study.trialList();
        assertEquals(trialsWhenStopped.get(), trials.size(), "no trial starts after trial 6 was stopped");
        assertTrue(trials.size() < 50);
        assertTrue(trials.stream().noneMatch(t -> t.state() == Trial.State.RUNNING));
        assertEquals(Study.STOPPED, trials.get(6).error());
        List<Map<String, Object>> calls = Collections.synchronizedList(new ArrayList<>());
        study.optimize(t -> {
            calls.add(t.params());
            return t.getDouble("x");
        }, trials.size() + 1, 2);
        assertEquals(trials.get(6).params(), study.trialList().get(trials.size()).params(),
                "the stopped configuration runs first");
        assertEquals(2, calls.size(), "the stopped trial does not count: two trials were missing");
    }

    @Test
    void anErrorFailsItsTrialLetsTheOthersFinishAndIsThrownAgain() {
        Study study = Study.minimize(SPACE, Samplers.create("random", 3));
        AssertionError e = assertThrows(AssertionError.class, () -> study.optimize(t -> {
            if (t.number() == 3) {
                throw new AssertionError("broken objective");
            }
            return t.getDouble("x");
        }, 20, 2));
        assertEquals("broken objective", e.getMessage());
        assertEquals("AssertionError: broken objective", study.trialList().get(3).error());
        assertTrue(study.trialList().stream().noneMatch(t -> t.state() == Trial.State.RUNNING));
        assertTrue(study.trialList().size() < 20);
    }

    @Test
    void badParallelismIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Study.minimize(SPACE, Samplers.create("random", 3)).optimize(t -> 0, 5, 0));
        assertTrue(e.getMessage().contains("parallelism must be >= 1, got 0"), e.getMessage());
    }
}
