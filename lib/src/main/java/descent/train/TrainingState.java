package descent.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * What a {@link Checkpoint} of a {@link Trainer} holds, and how a trainer is put back into that state: the model's
 * parameters and buffers, the optimizer's state dict ({@link descent.optim.Optimizer#stateDict}), the step count
 * (which places the learning-rate schedule) and the history. The run's configuration is stored too, and a
 * checkpoint of another configuration is refused with the differences listed; with {@link
 * Trainer.Builder#resumeWithNewHyperparameters} the optimizer's options, its learning rate and the schedule may differ
 * (the trainer's own are kept).
 */
final class TrainingState {

    private TrainingState() {
    }

    /** The settings that must match for a resume to continue the same run. */
    private static Map<String, Object> config(Trainer t) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("model", t.model.describe());
        h.put("seed", t.seed);
        h.put("batchSize", t.batchSize);
        h.put("augmentation", t.augmentation.toString());
        h.put("trainSize", t.train.size());
        h.put("loss", t.loss.name() + t.loss.options());
        Map<String, Double> o = new LinkedHashMap<>(t.optimizer.options());
        o.remove("lr");     // the schedule changes it; the current value is stored separately
        h.put("optimizer", t.optimizer.name() + o);
        h.put("schedule", String.valueOf(t.schedule));
        return h;
    }

    /** The state after the last completed epoch. */
    static Checkpoint capture(Trainer t) {
        Map<String, Object> h = config(t);
        h.put("epochsDone", t.epochsDone);
        h.put("steps", t.steps);
        h.put("lr", t.optimizer.lr());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : t.history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(Trainer.COLUMNS.get(0), row.getInt(Trainer.COLUMNS.get(0)));
            for (String c : Trainer.COLUMNS.subList(1, Trainer.COLUMNS.size())) {
                double v = row.getDouble(c);
                m.put(c, Double.isNaN(v) ? null : v);
            }
            rows.add(m);
        }
        h.put("history", rows);
        List<INDArray> arrays = new ArrayList<>(List.of(t.model.params(), t.model.buffers()));
        Map<String, INDArray> state = t.optimizer.stateDict(List.of(t.model.params())).get(0);
        h.put("optimizerState", new ArrayList<>(state.keySet()));
        arrays.addAll(state.values());
        return new Checkpoint(h, arrays);
    }

    /** Puts {@code t} into the state of {@code c}; refuses a checkpoint of another configuration. */
    static void restore(Trainer t, Checkpoint c) {
        Map<String, Object> want = config(t);
        List<String> diffs = new ArrayList<>();
        if (t.newHyperparameters) {
            want.remove("optimizer");
            want.remove("schedule");
        }
        for (Map.Entry<String, Object> e : want.entrySet()) {
            Object got = c.header().get(e.getKey());
            if (got == null || !String.valueOf(got).equals(String.valueOf(e.getValue()))) {
                diffs.add(e.getKey() + ": checkpoint has " + got + ", this trainer has " + e.getValue());
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + t.checkpoint + " does not match this run; resuming "
                    + "would not continue the same training. Differences:\n  " + String.join("\n  ", diffs));
        }
        List<INDArray> a = c.arrays();
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) c.header().get("optimizerState");
        if (keys == null || a.size() != 2 + keys.size()) {
            throw new IllegalArgumentException("checkpoint " + t.checkpoint + " holds " + a.size() + " arrays; "
                    + "expected parameters, buffers and the optimizer state " + keys);
        }
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            INDArray v = a.get(2 + i);
            state.put(keys.get(i), v.length() == t.model.params().length() ? v.reshape(t.model.params().shape()) : v);
        }
        t.optimizer.loadStateDict(List.of(t.model.params()), List.of(state));   // checks before anything changes
        t.model.params().assign(a.get(0).castTo(t.model.dataType()));
        t.model.buffers().assign(a.get(1).castTo(t.model.dataType()));
        if (!t.newHyperparameters) {
            t.optimizer.setLr(((Number) c.header().get("lr")).doubleValue());
        }
        t.epochsDone = ((Number) c.header().get("epochsDone")).intValue();
        t.steps = ((Number) c.header().get("steps")).longValue();
        Table history = Trainer.emptyHistory();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) c.header().get("history");
        for (Map<String, Object> row : rows) {
            history.intColumn(Trainer.COLUMNS.get(0)).append(((Number) row.get(Trainer.COLUMNS.get(0))).intValue());
            for (String col : Trainer.COLUMNS.subList(1, Trainer.COLUMNS.size())) {
                Object v = row.get(col);
                history.doubleColumn(col).append(v == null ? Double.NaN : ((Number) v).doubleValue());
            }
        }
        t.history = history;
    }
}
