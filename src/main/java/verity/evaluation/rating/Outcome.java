package verity.evaluation.rating;

/**
 * Result of one pairwise comparison, seen from model A. {@link #BOTH_BAD} is kept apart in counts but scores
 * exactly like {@link #TIE} (half a win each), as in FastChat.
 */
public enum Outcome {
    A_WINS,
    B_WINS,
    TIE,
    BOTH_BAD;

    /** A's score: 1, 0 or 0.5. */
    public double scoreA() {
        return switch (this) {
            case A_WINS -> 1.0;
            case B_WINS -> 0.0;
            case TIE, BOTH_BAD -> 0.5;
        };
    }

    /** The same result with the two sides swapped. */
    public Outcome flipped() {
        return switch (this) {
            case A_WINS -> B_WINS;
            case B_WINS -> A_WINS;
            case TIE, BOTH_BAD -> this;
        };
    }

    public boolean isTie() {
        return this == TIE || this == BOTH_BAD;
    }
}
