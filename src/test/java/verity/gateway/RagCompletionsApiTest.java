package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.files.Uploads;
import verity.retrieval.Corpus;
import verity.support.Db;

/** Chat completions with files and collections: context reaches the model, sources come back, access is checked. */
@ParameterizedClass
@EnumSource(Db.class)
class RagCompletionsApiTest {
    @Parameter
    Db db;

    Gateway gw;
    String user;
    String knowledgeId;
    String breadId;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        user = gw.user();
        knowledgeId = gw.api.post("/api/v1/knowledge/create", user, Map.of("name", "Corpus")).expect(200).json().path("id").asString();
        Corpus.DOCS.forEach((name, text) -> {
            String id = Uploads.indexed(gw.api, user, name, text);
            if (name.equals("bread.md")) {
                breadId = id;
            }
            gw.api.post("/api/v1/knowledge/" + knowledgeId + "/file/add", user, Map.of("file_id", id)).expect(200);
        });
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    private JsonNode lastUpstreamRequest() {
        List<verity.support.FakeUpstream.Received> received = gw.fake.requests(Gateway.OPENAI_CHAT);
        return received.getLast().body();
    }

    @Test
    void a_collection_puts_the_best_chunks_before_the_question_and_returns_sources() {
        String question = "How long should sourdough proof?";
        JsonNode answer = gw.post("/api/chat/completions", user, chat("gpt-fake", question,
                "files", List.of(Map.of("type", "collection", "id", knowledgeId)))).expect(200).json();
        JsonNode sent = lastUpstreamRequest();
        assertFalse(sent.has("files"));
        String content = sent.path("messages").get(0).path("content").asString();
        assertTrue(content.endsWith("\n\n" + question), content);
        assertTrue(content.contains("<source id=\"1\" name=\"bread.md\">"), content);
        assertTrue(content.contains("sourdough starter"), content);
        assertTrue(content.contains("<context>"), content);
        assertEquals(3, content.split("<source id=").length - 1, "RAG_TOP_K chunks");

        assertEquals("Hello from gpt-fake.", answer.at("/choices/0/message/content").asString());
        JsonNode sources = answer.path("sources");
        assertEquals("bread.md", sources.get(0).at("/source/name").asString());
        assertEquals(breadId, sources.get(0).at("/source/id").asString());
        assertTrue(sources.get(0).at("/document/0").asString().contains("sourdough starter"));
        assertEquals(breadId, sources.get(0).at("/metadata/0/file_id").asString());
        assertTrue(sources.get(0).at("/distances/0").asDouble() > 0.3);
    }

    @Test
    void a_single_file_full_context_and_inline_text_are_injected() {
        gw.post("/api/v1/chat/completions", user, chat("gpt-fake", "What does it say?",
                "files", List.of(Map.of("type", "file", "id", breadId, "context", "full"),
                        Map.of("type", "text", "name", "note", "content", "Inline note text")))).expect(200);
        String content = lastUpstreamRequest().path("messages").get(0).path("content").asString();
        assertTrue(content.contains(Corpus.DOCS.get("bread.md")), content);
        assertTrue(content.contains("<source id=\"2\" name=\"note\">Inline note text</source>"), content);
        assertFalse(content.contains("penguins"), content);
    }

    @Test
    void the_first_chunk_of_a_stream_carries_the_sources() {
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("gpt-fake", "penguin eggs",
                "stream", true, "files", List.of(Map.of("type", "collection", "id", knowledgeId)))).expectOk();
        JsonNode first = s.chunks().getFirst();
        assertEquals("chat.completion.chunk", first.path("object").asString());
        assertEquals("assistant", first.at("/choices/0/delta/role").asString(), first.toString());
        assertEquals("penguins.txt", first.at("/sources/0/source/name").asString());
        assertTrue(s.chunks().stream().skip(1).noneMatch(c -> c.has("sources")));
        assertEquals("Hello from gpt-fake.", s.content());
    }

    @Test
    void ollama_models_get_the_same_context() {
        JsonNode answer = gw.post("/api/chat/completions", user, chat("llama-fake:latest", "Bastille",
                "files", List.of(Map.of("type", "collection", "id", knowledgeId)))).expect(200).json();
        assertEquals("revolution.txt", answer.at("/sources/0/source/name").asString());
        JsonNode sent = gw.fake.requests(Gateway.OLLAMA_CHAT).getLast().body();
        assertTrue(sent.path("messages").get(0).path("content").asString().contains("Bastille on 14 July 1789"));
    }

    @Test
    void another_users_file_or_collection_is_404_and_nothing_reaches_the_model() {
        String other = gw.user();
        int before = gw.fake.requests(Gateway.OPENAI_CHAT).size();
        gw.post("/api/chat/completions", other, chat("gpt-fake", "x", "files", List.of(Map.of("type", "file", "id", breadId)))).expectError(404);
        gw.post("/api/chat/completions", other, chat("gpt-fake", "x", "files", List.of(Map.of("type", "collection", "id", knowledgeId)))).expectError(404);
        gw.post("/api/chat/completions", user, chat("gpt-fake", "x", "files", "nope")).expectError(422);
        gw.post("/api/chat/completions", user, chat("gpt-fake", "x", "files", List.of(Map.of("type", "file")))).expectError(422);
        assertEquals(before, gw.fake.requests(Gateway.OPENAI_CHAT).size());
        gw.post("/api/chat/completions", user, chat("gpt-fake", "x", "files", List.of())).expect(200);
        assertFalse(lastUpstreamRequest().has("files"));
    }
}
