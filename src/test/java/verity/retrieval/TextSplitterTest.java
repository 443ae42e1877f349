package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextSplitterTest {

    @Test
    void short_text_is_one_chunk() {
        assertEquals(List.of(new TextSplitter.Chunk(0, 2, "hello")), new TextSplitter(1000, 100).split("  hello  "));
        assertEquals(List.of(), new TextSplitter(1000, 100).split(" \n\n "));
    }

    @Test
    void paragraphs_are_kept_whole_when_they_fit() {
        String a = "a".repeat(600);
        String b = "b".repeat(600);
        List<TextSplitter.Chunk> chunks = new TextSplitter(1000, 100).split(a + "\n\n" + b);
        assertEquals(2, chunks.size());
        assertEquals(a, chunks.get(0).text());
        assertEquals(b, chunks.get(1).text());
        assertEquals(602, chunks.get(1).start());
    }

    @Test
    void every_chunk_fits_starts_where_it_says_and_overlaps_its_predecessor() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("word").append(random.nextInt(1000)).append(random.nextInt(20) == 0 ? "\n" : random.nextInt(50) == 0 ? "\n\n" : " ");
        }
        String s = text.toString();
        List<TextSplitter.Chunk> chunks = new TextSplitter(1000, 100).split(s);
        assertTrue(chunks.size() > 20);
        for (int i = 0; i < chunks.size(); i++) {
            TextSplitter.Chunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertTrue(c.text().length() <= 1000, "chunk " + i + " has " + c.text().length());
            assertEquals(c.text(), s.substring(c.start(), c.start() + c.text().length()));
            if (i > 0) {
                TextSplitter.Chunk prev = chunks.get(i - 1);
                assertTrue(prev.start() + prev.text().length() - c.start() <= 100, "chunk " + i + " overlaps too much");
                assertTrue(c.start() > prev.start());
                String gap = s.substring(Math.min(s.length(), prev.start() + prev.text().length()), Math.max(c.start(), prev.start() + prev.text().length()));
                assertTrue(gap.isBlank(), "text between chunks " + (i - 1) + " and " + i + " is lost: " + gap);
            }
        }
        TextSplitter.Chunk last = chunks.getLast();
        assertEquals(s.strip().length(), last.start() + last.text().length());
    }

    @Test
    void word_separated_text_overlaps_by_up_to_the_overlap() {
        String s = "lorem ipsum dolor sit amet ".repeat(200);
        List<TextSplitter.Chunk> chunks = new TextSplitter(200, 40).split(s);
        for (int i = 1; i < chunks.size(); i++) {
            TextSplitter.Chunk prev = chunks.get(i - 1);
            int overlap = prev.start() + prev.text().length() - chunks.get(i).start();
            assertTrue(overlap > 20 && overlap <= 40, "overlap " + overlap + " at chunk " + i);
        }
    }

    @Test
    void a_text_without_separators_is_cut_by_length() {
        List<TextSplitter.Chunk> chunks = new TextSplitter(100, 10).split("x".repeat(250));
        assertEquals(3, chunks.size());
        assertEquals(100, chunks.get(0).text().length());
        assertEquals(50, chunks.get(2).text().length());
    }
}
