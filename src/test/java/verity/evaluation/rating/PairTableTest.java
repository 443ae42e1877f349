package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairTableTest {
    @Test
    void five_battles_collapse_into_canonical_rows() {
        PairTable t = PairTable.of(Battles.five());
        assertEquals(List.of("A", "B", "C"), t.models());
        assertEquals(List.of(
                new PairTable.Row("A", "B", Outcome.A_WINS, 1),
                new PairTable.Row("A", "B", Outcome.B_WINS, 1),
                new PairTable.Row("A", "C", Outcome.B_WINS, 1), // battle 4, C (model_a) won: flipped
                new PairTable.Row("A", "C", Outcome.TIE, 1),
                new PairTable.Row("B", "C", Outcome.A_WINS, 1)), t.rows());
        assertEquals(5, t.total());
        assertEquals(3, t.pairCount());
        assertEquals(4, t.comparisonsOf("A"));
        assertEquals(0, t.comparisonsOf("nobody"));
    }

    @Test
    void both_bad_is_counted_apart_from_tie() {
        PairTable t = PairTable.builder().add("y", "x", Outcome.BOTH_BAD, 2).add("x", "y", Outcome.TIE, 1).build();
        assertEquals(List.of(new PairTable.Row("x", "y", Outcome.TIE, 1),
                new PairTable.Row("x", "y", Outcome.BOTH_BAD, 2)), t.rows());
    }

    /** Same comparisons in another order and with sides swapped (outcome flipped). */
    static List<Comparison> permuted(List<Comparison> data, long seed) {
        Random rng = new Random(seed);
        List<Comparison> out = new ArrayList<>();
        for (Comparison c : data) {
            out.add(rng.nextBoolean() ? c : Comparison.of(c.modelB(), c.modelA(), c.outcome().flipped()));
        }
        Collections.shuffle(out, rng);
        return out;
    }

    @Test
    void any_permutation_gives_identical_tables_fits_and_bootstraps() {
        List<Comparison> data = Battles.random(8, 3000, 11);
        PairTable t = PairTable.of(data);
        BtFit fit = BradleyTerry.fit(t);
        Bootstrap.Result boot = Bootstrap.run(t, 5, 20);
        for (long seed = 0; seed < 3; seed++) {
            PairTable other = PairTable.of(permuted(data, seed));
            assertEquals(t, other);
            assertEquals(t.rows(), other.rows());
            assertArrayEquals(fit.thetaArray(), BradleyTerry.fit(other).thetaArray(), 0.0);
            assertEquals(fit.ratings(), BradleyTerry.fit(other).ratings());
            assertEquals(boot, Bootstrap.run(other, 5, 20));
        }
    }

    @Test
    void rejects_bad_input() {
        assertThrows(IllegalArgumentException.class, () -> PairTable.builder().add("a", "a", Outcome.TIE, 1));
        assertThrows(IllegalArgumentException.class, () -> PairTable.builder().add("a", "b", Outcome.TIE, -1));
        assertThrows(NullPointerException.class, () -> Comparison.of(null, "b", Outcome.TIE));
    }
}
