package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTest {
    private static Annotation a(String item, String annotator, String label) {
        return new Annotation(item, annotator, label);
    }

    /**
     * Textbook Cohen example, 50 items: both yes 20, r1 yes/r2 no 5, r1 no/r2 yes 10, both no 15. p_o = 35/50 =
     * 0.7; r1 says yes 25/50, r2 30/50, so p_e = 0.5·0.6 + 0.5·0.4 = 0.5 and κ = (0.7 − 0.5)/(1 − 0.5) = 0.4.
     */
    @Test
    void cohen_textbook_table() {
        assertEquals(0.4, Agreement.cohen(new long[][] {{20, 5}, {10, 15}}), 1e-12);

        List<Annotation> data = new ArrayList<>();
        int item = 0;
        int[][] table = {{20, 5}, {10, 15}};
        String[] labels = {"yes", "no"};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                for (int k = 0; k < table[i][j]; k++, item++) {
                    data.add(a("q" + item, "r1", labels[i]));
                    data.add(a("q" + item, "r2", labels[j]));
                }
            }
        }
        data.add(a("q" + item, "r3", "yes")); // shares nothing with anyone: no pair
        List<Agreement.PairKappa> pairs = Agreement.cohenPairs(data);
        assertEquals(1, pairs.size());
        Agreement.PairKappa p = pairs.get(0);
        assertEquals("r1", p.annotatorA());
        assertEquals("r2", p.annotatorB());
        assertEquals(50, p.sharedItems());
        assertEquals(0.7, p.observedAgreement(), 1e-12);
        assertEquals(0.5, p.expectedAgreement(), 1e-12);
        assertEquals(0.4, p.kappa(), 1e-12);
    }

    /**
     * Three raters, two labels. i1 x x x: P = 1; i2 x x y: P = (2·1)/(3·2) = 1/3; i3 y y y: P = 1; i4 x y y: 1/3.
     * P̄ = (8/3)/4 = 2/3; p_x = 6/12 = 0.5, p_y = 0.5, P̄_e = 0.5; κ = (2/3 − 1/2)/(1/2) = 1/3.
     * Adding i5 rated x, y by two raters only (P = 0): P̄ = (8/3)/5 = 8/15, p_x = 7/14 = 0.5, κ = (8/15 − 1/2)/(1/2)
     * = 1/15. i6 has one rating and is ignored.
     */
    private static List<Annotation> fleissData(boolean withUnequal) {
        List<Annotation> d = new ArrayList<>(List.of(
                a("i1", "u", "x"), a("i1", "v", "x"), a("i1", "w", "x"),
                a("i2", "u", "x"), a("i2", "v", "x"), a("i2", "w", "y"),
                a("i3", "u", "y"), a("i3", "v", "y"), a("i3", "w", "y"),
                a("i4", "u", "x"), a("i4", "v", "y"), a("i4", "w", "y"),
                a("i6", "u", "x")));
        if (withUnequal) {
            d.addAll(List.of(a("i5", "u", "x"), a("i5", "w", "y")));
        }
        return d;
    }

    @Test
    void fleiss_hand_computed() {
        Agreement.FleissKappa f = Agreement.fleiss(fleissData(false));
        assertEquals(4, f.items());
        assertEquals(12, f.ratings());
        assertEquals(2, f.categories());
        assertEquals(2.0 / 3, f.meanAgreement(), 1e-12);
        assertEquals(0.5, f.expectedAgreement(), 1e-12);
        assertEquals(1.0 / 3, f.kappa(), 1e-12);

        Agreement.FleissKappa g = Agreement.fleiss(fleissData(true));
        assertEquals(5, g.items());
        assertEquals(1.0 / 15, g.kappa(), 1e-12);
    }

    @Test
    void most_disputed_items_first() {
        List<Agreement.DisputedItem> d = Agreement.mostDisputed(fleissData(true), 3);
        assertEquals(List.of("i5", "i2", "i4"), d.stream().map(Agreement.DisputedItem::itemId).toList());
        assertEquals(1.0, d.get(0).disagreement(), 1e-12);
        assertEquals(2.0 / 3, d.get(1).disagreement(), 1e-12);
        assertEquals(Map.of("x", 2, "y", 1), d.get(1).labels());
        assertEquals(5, Agreement.mostDisputed(fleissData(true), 100).size());
    }

    @Test
    void degenerate_cases() {
        List<Annotation> same = List.of(a("i1", "u", "ok"), a("i1", "v", "ok"), a("i2", "u", "ok"), a("i2", "v", "ok"));
        Agreement.PairKappa p = Agreement.cohenPairs(same).get(0);
        assertNull(p.kappa());
        assertEquals(1.0, p.observedAgreement());
        assertNull(Agreement.fleiss(same).kappa());
        assertEquals(1.0, Agreement.fleiss(same).meanAgreement());

        Agreement.FleissKappa none = Agreement.fleiss(List.of(a("i1", "u", "x")));
        assertEquals(0, none.items());
        assertNull(none.meanAgreement());

        // Perfect disagreement between two raters who each use both labels.
        assertEquals(-1.0, Agreement.cohen(new long[][] {{0, 5}, {5, 0}}), 1e-12);
        // Repeating the same label is harmless; a conflicting one is an error.
        assertEquals(1, Agreement.cohenPairs(List.of(a("i", "u", "x"), a("i", "u", "x"), a("i", "v", "y"))).size());
        assertThrows(IllegalArgumentException.class,
                () -> Agreement.fleiss(List.of(a("i", "u", "x"), a("i", "u", "y"))));
    }
}
