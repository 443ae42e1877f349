package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Db;

/**
 * Verity as seen by the official OpenAI Node SDK: clients/openai-sdk/check.mjs makes plain and streamed
 * completions on /api and /api/v1 against a fresh server and fake model server. Skipped unless {@code node} is on
 * the PATH and the SDK is installed ({@code npm ci --prefix clients/openai-sdk}).
 */
@ParameterizedClass
@EnumSource(Db.class)
class OpenAiSdkTest {
    static final Path CLIENT = Path.of("clients", "openai-sdk").toAbsolutePath();

    @Parameter
    Db db;

    Gateway gw;

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(nodeAvailable(), "node is not on the PATH");
        Assumptions.assumeTrue(Files.isDirectory(CLIENT.resolve("node_modules/openai")),
                "the OpenAI SDK is not installed: npm ci --prefix clients/openai-sdk");
        gw = Gateway.start(db);
    }

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    record Run(int exit, String stdout, String stderr) {}

    Run check(String key, String model, String arenaModel) throws Exception {
        return check(key, model, arenaModel, null);
    }

    Run check(String key, String model, String arenaModel, String fileId) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("node", "check.mjs").directory(CLIENT.toFile());
        if (fileId != null) {
            pb.environment().put("VERITY_FILE_ID", fileId);
        }
        pb.environment().put("VERITY_URL", gw.api.base);
        pb.environment().put("VERITY_KEY", key);
        pb.environment().put("VERITY_MODEL", model);
        if (arenaModel != null) {
            pb.environment().put("VERITY_ARENA_MODEL", arenaModel);
        }
        Path out = Files.createTempFile("sdk-check-", ".out");
        Path err = Files.createTempFile("sdk-check-", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the SDK check did not finish in 90 s");
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static JsonNode passed(Run run) {
        assertEquals(0, run.exit(), () -> "the SDK check failed:\n" + run.stdout() + "\n" + run.stderr());
        JsonNode report = Json.read(run.stdout());
        assertTrue(report.get("ok").asBoolean(), run.stdout());
        assertEquals(0, report.get("failures").size(), run.stdout());
        return report;
    }

    @Test
    void the_sdk_completes_plainly_and_streamed_with_an_api_key_through_openai_models() throws Exception {
        String key = gw.api.post("/api/v1/auths/api_key", gw.user(), null).expect(200).json().get("api_key").asString();
        JsonNode report = passed(check(key, "gpt-fake", null));
        JsonNode results = report.get("results");
        assertEquals(2, results.size());
        for (JsonNode r : results) {
            assertEquals("Hello from gpt-fake.", r.at("/non_stream/content").asString(), r.toString());
            assertEquals("Hello from gpt-fake.", r.at("/stream/content").asString(), r.toString());
        }
        List<String> paths = gw.fake.requests(Gateway.OPENAI_CHAT).stream().map(x -> x.body().path("stream").asBoolean(false) ? "s" : "n").toList();
        assertEquals(List.of("n", "s", "n", "s"), paths, "two plain and two streamed completions reached the model server");
    }

    @Test
    void the_sdk_reads_translated_ollama_answers_with_a_session_token() throws Exception {
        JsonNode report = passed(check(gw.user(), "llama-fake:latest", null));
        for (JsonNode r : report.get("results")) {
            assertEquals("Hello from llama-fake:latest.", r.at("/non_stream/content").asString(), r.toString());
            assertEquals(r.at("/non_stream/request_id").asString(), r.at("/non_stream/id").asString(),
                    "an Ollama answer's id is the request id");
            assertEquals("Hello from llama-fake:latest.", r.at("/stream/content").asString());
            assertEquals(22, r.at("/stream/usage/total_tokens").asInt(), r.toString());
        }
    }

    @Test
    void the_sdk_passes_arena_answers_through_including_the_selected_model_event() throws Exception {
        JsonNode report = passed(check(gw.user(), "gpt-fake", "arena-model"));
        for (JsonNode r : report.get("results")) {
            JsonNode arena = r.get("arena");
            assertTrue(ArenaApiTest.REAL.contains(arena.get("non_stream_selected_model_id").asString()), arena.toString());
            assertTrue(ArenaApiTest.REAL.contains(arena.at("/stream/first_event/selected_model_id").asString()), arena.toString());
            // selected_model_id rides on the first real chunk: every chunk the SDK yields has a choices list.
            assertEquals(0, arena.at("/stream/chunks_without_choices").asInt(), arena.toString());
            assertTrue(arena.has("stream_helper"), arena.toString());
            assertFalse(arena.at("/stream/content").asString().isEmpty());
        }
    }

    @Test
    void the_sdk_accepts_retrieval_sources_plainly_and_streamed() throws Exception {
        String token = gw.user();
        String fileId = verity.files.Uploads.indexed(gw.api, token, "hello.md", "Greetings are said with a wave in this office.");
        JsonNode report = passed(check(token, "gpt-fake", null, fileId));
        for (JsonNode r : report.get("results")) {
            assertEquals(1, r.at("/rag/non_stream_sources").asInt(), r.toString());
            assertEquals(1, r.at("/rag/stream/sources").asInt(), r.toString());
        }
        gw.fake.requests(Gateway.OPENAI_CHAT).stream().filter(x -> !x.body().has("stream_options"))
                .forEach(x -> assertFalse(x.body().has("files"), "files is not relayed"));
    }
}
