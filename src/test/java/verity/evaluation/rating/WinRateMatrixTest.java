package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WinRateMatrixTest {
    @Test
    void counts_and_rates_on_the_five_battles_plus_extras() {
        List<Comparison> data = new ArrayList<>(Battles.five());
        data.add(Comparison.of("C", "A", Outcome.BOTH_BAD));
        data.add(Comparison.of("D", "A", Outcome.TIE));
        WinRateMatrix w = WinRateMatrix.of(PairTable.of(data));

        assertEquals(new WinRateMatrix.Cell("A", "B", 1, 1, 0, 0, 0.5), w.cell("A", "B"));
        assertEquals(new WinRateMatrix.Cell("B", "C", 1, 0, 0, 0, 1.0), w.cell("B", "C"));
        assertEquals(new WinRateMatrix.Cell("C", "B", 0, 1, 0, 0, 0.0), w.cell("C", "B"));
        // A–C: battle 3 tie, battle 4 C won, plus one both-bad; ties never enter the rate.
        assertEquals(new WinRateMatrix.Cell("A", "C", 0, 1, 1, 1, 0.0), w.cell("A", "C"));
        assertEquals(1.0, w.winRate("C", "A"));
        assertEquals(3, w.cell("C", "A").comparisons());
        // Only a tie: no decisive game, so no rate.
        assertNull(w.winRate("A", "D"));
        assertEquals(1, w.cell("D", "A").ties());
        // Never met.
        assertEquals(new WinRateMatrix.Cell("B", "D", 0, 0, 0, 0, null), w.cell("B", "D"));

        List<String> order = w.cells().stream().map(c -> c.model() + c.opponent()).toList();
        assertEquals(List.of("AB", "AC", "AD", "BA", "BC", "CA", "CB", "DA"), order);
    }
}
