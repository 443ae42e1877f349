package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.List;

/** Result of {@link BradleyTerry#fit}: ratings in the table's (sorted) model order plus solver diagnostics. */
public final class BtFit {
    private final PairTable table;
    private final double[] theta;
    private final int[] component;
    private final boolean[] regularised;
    private final int iterations;
    private final double relativeGradient;

    BtFit(PairTable table, BradleyTerry.Solution s) {
        this.table = table;
        this.theta = s.theta();
        this.component = s.component();
        this.regularised = s.regularised();
        this.iterations = s.iterations();
        this.relativeGradient = s.relativeGradient();
    }

    public List<String> models() {
        return table.models();
    }

    /** One entry per model, in {@link #models()} order. */
    public List<ModelRating> ratings() {
        List<ModelRating> out = new ArrayList<>(theta.length);
        for (int i = 0; i < theta.length; i++) {
            out.add(new ModelRating(table.models().get(i), BradleyTerry.rating(theta[i]), theta[i],
                    table.comparisonsOf(i), component[i], regularised[component[i]]));
        }
        return out;
    }

    public double rating(String model) {
        return BradleyTerry.rating(theta[require(model)]);
    }

    public double theta(String model) {
        return theta[require(model)];
    }

    public int component(String model) {
        return component[require(model)];
    }

    public int componentCount() {
        return regularised.length;
    }

    /** Modelled probability that {@code a} beats {@code b} (a tie counting half); null across components. */
    public Double winProbability(String a, String b) {
        int i = require(a);
        int j = require(b);
        if (component[i] != component[j]) {
            return null;
        }
        return NewtonSolver.sigmoid(NewtonSolver.ALPHA * (theta[i] - theta[j]));
    }

    /** Newton iterations of the slowest component. */
    public int iterations() {
        return iterations;
    }

    /** Worst component's max_i |∂L/∂θ_i| / (ln10 · total weight), i.e. max_i |Σ(n·p − score)| / Σn. */
    public double relativeGradient() {
        return relativeGradient;
    }

    public boolean converged() {
        return relativeGradient <= NewtonSolver.REQUIRED;
    }

    double[] thetaArray() {
        return theta;
    }

    int[] componentArray() {
        return component;
    }

    private int require(String model) {
        int i = table.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException("unknown model " + model);
        }
        return i;
    }
}
