package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The embedder's own tokenizing and pooling give the vectors of langchain4j's encoder for the same model. */
class LocalEmbedderTest {
    private static final LocalEmbedder EMBEDDER = new LocalEmbedder();
    private static final AllMiniLmL6V2QuantizedEmbeddingModel REFERENCE = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private static List<String> texts() {
        List<String> texts = new ArrayList<>(Corpus.DOCS.values());
        // chunk-sized prose, as ingestion embeds it
        Random random = new Random(11);
        List<String> words = new ArrayList<>();
        Corpus.DOCS.values().forEach(d -> words.addAll(List.of(d.split("\\s+"))));
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            prose.append(words.get(random.nextInt(words.size()))).append(random.nextInt(12) == 0 ? "\n\n" : " ");
        }
        new TextSplitter(1000, 100).split(prose.toString()).stream().limit(6).forEach(c -> texts.add(c.text()));
        texts.add("a");
        texts.add("Crème brûlée, naïve café — ÀÉÎÕÜ façade; 東京 and São Paulo (don't split, it's fine!) ☃ \u0007 x²");
        texts.add("def f(x):\n    return {'a': [1, 2, 3], \"b\": x ** 2}  # §1.2(b)\n\t<tag attr=\"v\">&amp;</tag>");
        texts.add("色は匂へど散りぬるを我が世誰ぞ常ならむ有為の奥山今日越えて浅き夢見じ酔ひもせず".repeat(20)); // > 512 tokens
        texts.add("supercalifragilisticexpialidocious ".repeat(80)); // > 512 word pieces, words cut in pieces
        return texts;
    }

    @Test
    void vectors_equal_langchain4j_encoder_one_by_one_and_in_lists() {
        List<String> texts = texts();
        List<float[]> listed = EMBEDDER.embed(texts);
        assertEquals(texts.size(), listed.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            float[] expected = Embedder.normalize(REFERENCE.embed(text).content().vector());
            float[] single = EMBEDDER.embed(text);
            assertEquals(384, single.length);
            double cos = Embedder.cosine(expected, single);
            assertTrue(cos >= 0.9999, "text " + i + ": cosine " + cos);
            assertTrue(Embedder.cosine(single, listed.get(i)) >= 0.99999, "text " + i + " differs in a list");
            assertEquals(1.0, Embedder.cosine(single, single), 1e-5);
        }
    }

    @Test
    void blank_text_gets_a_unit_vector() {
        for (String blank : List.of("", " ", "\n\t")) {
            assertEquals(1.0, Embedder.cosine(EMBEDDER.embed(blank), EMBEDDER.embed(blank)), 1e-5);
        }
    }
}
