package descent.optim.schedule;

import descent.Checks;

/**
 * Cosine annealing without restarts, {@code torch.optim.lr_scheduler.CosineAnnealingLR}, in its
 * closed form:
 *
 * <pre>
 * lr(t) = eta_min + (base_lr &minus; eta_min) &middot; (1 + cos(&pi; &middot; t / T_max)) / 2
 * </pre>
 *
 * At {@code t = T_max} it reaches {@code eta_min}; after that it rises again along the same
 * cosine (period {@code 2 T_max}), which is what torch's recursive form does too. Torch's
 * per-step (recursive) values equal this closed form up to accumulated rounding.
 */
public final class CosineAnnealingLR implements LrSchedule {

    private final double baseLr;
    private final int tMax;
    private final double etaMin;

    /** @param etaMin torch's default is 0 */
    public CosineAnnealingLR(double baseLr, int tMax, double etaMin) {
        Checks.nonNegative("CosineAnnealingLR", "baseLr", baseLr);
        Checks.atLeastOne("CosineAnnealingLR", "T_max", tMax);
        Checks.nonNegative("CosineAnnealingLR", "eta_min", etaMin);
        this.baseLr = baseLr;
        this.tMax = tMax;
        this.etaMin = etaMin;
    }

    @Override
    public double lr(int step) {
        Checks.step("CosineAnnealingLR", step);
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * step / tMax)) / 2;
    }

    @Override
    public String toString() {
        return "CosineAnnealingLR(base_lr=" + baseLr + ", T_max=" + tMax + ", eta_min=" + etaMin + ")";
    }
}
