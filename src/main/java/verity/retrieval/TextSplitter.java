package verity.retrieval;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive character splitter (the splitting Open WebUI uses by default): cut at paragraph breaks, then line
 * breaks, then spaces, then anywhere, so that each chunk holds at most {@code size} characters, and start each
 * chunk with up to {@code overlap} characters of the previous one. Chunks are exact spans of the text, so
 * {@code start} is the offset in the extracted text. Hand-written: the library splitters we could use bring
 * a sentence model we do not want.
 */
public final class TextSplitter {
    private static final String[] SEPARATORS = {"\n\n", "\n", " "};
    private final int size;
    private final int overlap;

    public record Span(int start, int end) {}

    public record Chunk(int index, int start, String text) {}

    public TextSplitter(int size, int overlap) {
        if (size < 1 || overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("chunk size " + size + ", overlap " + overlap);
        }
        this.size = size;
        this.overlap = overlap;
    }

    public List<Chunk> split(String text) {
        List<Span> pieces = new ArrayList<>();
        pieces(text, 0, text.length(), 0, pieces);
        List<Chunk> chunks = new ArrayList<>();
        int first = 0;
        while (first < pieces.size()) {
            int last = first;
            while (last + 1 < pieces.size() && pieces.get(last + 1).end() - pieces.get(first).start() <= size) {
                last++;
            }
            int start = pieces.get(first).start();
            String chunk = text.substring(start, pieces.get(last).end());
            int lead = chunk.length() - chunk.stripLeading().length();
            if (!chunk.isBlank()) {
                chunks.add(new Chunk(chunks.size(), start + lead, chunk.strip()));
            }
            if (last + 1 >= pieces.size()) {
                break;
            }
            // the next chunk starts with the trailing pieces of this one that fit in the overlap
            int next = last + 1;
            while (next - 1 > first && pieces.get(last).end() - pieces.get(next - 1).start() <= overlap
                    && pieces.get(last + 1).end() - pieces.get(next - 1).start() <= size) {
                next--;
            }
            first = next;
        }
        return chunks;
    }

    /** Cuts [from, to) into spans of at most {@code size}, preferring the coarsest separator that works. */
    private void pieces(String text, int from, int to, int level, List<Span> out) {
        if (to - from <= size) {
            out.add(new Span(from, to));
            return;
        }
        if (level == SEPARATORS.length) {
            for (int i = from; i < to; i += size) {
                out.add(new Span(i, Math.min(to, i + size)));
            }
            return;
        }
        String separator = SEPARATORS[level];
        int start = from;
        int at = text.indexOf(separator, from);
        boolean cut = false;
        while (at >= 0 && at < to) {
            int end = at + separator.length();
            addPiece(text, start, end, level, out);
            start = end;
            cut = true;
            at = text.indexOf(separator, end);
        }
        if (!cut) {
            pieces(text, from, to, level + 1, out);
            return;
        }
        if (start < to) {
            addPiece(text, start, to, level, out);
        }
    }

    private void addPiece(String text, int from, int to, int level, List<Span> out) {
        if (to - from <= size) {
            out.add(new Span(from, to));
        } else {
            pieces(text, from, to, level + 1, out);
        }
    }
}
