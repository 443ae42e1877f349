package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.FakeUpstream;

@ParameterizedClass
@EnumSource(Db.class)
class CompletionsApiTest {
    @Parameter
    Db db;

    Gateway gw;

    @AfterEach
    void tearDown() {
        if (gw != null) {
            gw.close();
        }
    }

    String start() {
        gw = Gateway.start(db);
        return gw.user();
    }

    @Test
    void every_path_answers_a_non_streamed_openai_completion() {
        String user = start();
        for (String path : Gateway.PATHS) {
            Api.Res r = gw.post(path, user, chat("gpt-fake", "hi")).expect(200);
            assertTrue(r.header("Content-Type").startsWith("application/json"), path);
            JsonNode a = r.json();
            assertEquals("chat.completion", a.get("object").asString(), path);
            assertTrue(a.get("id").asString().startsWith("chatcmpl-fake-"), "the model server's id is kept: " + a);
            assertEquals("assistant", a.at("/choices/0/message/role").asString());
            assertEquals("Hello from gpt-fake.", a.at("/choices/0/message/content").asString(), path);
            assertEquals("stop", a.at("/choices/0/finish_reason").asString());
            assertEquals(FakeUpstream.PROMPT_TOKENS, a.at("/usage/prompt_tokens").asInt());
            assertEquals("fp_fake", a.get("system_fingerprint").asString(), "unknown answer fields are kept");
            JsonNode sent = gw.fake.last(Gateway.OPENAI_CHAT).body();
            assertEquals("gpt-fake", sent.get("model").asString());
            assertEquals("hi", sent.at("/messages/0/content").asString());
        }
        assertEquals(4, gw.fake.requests(Gateway.OPENAI_CHAT).size());
    }

    @Test
    void every_path_answers_a_non_streamed_ollama_completion_in_openai_format() {
        String user = start();
        for (String path : Gateway.PATHS) {
            Api.Res r = gw.post(path, user, chat("llama-fake:latest", "hi", "stream", false)).expect(200);
            JsonNode a = r.json();
            assertEquals("chat.completion", a.get("object").asString(), path);
            assertEquals(r.header("X-Request-Id"), a.get("id").asString(), "Ollama gives no id: the request id is used");
            assertEquals("llama-fake:latest", a.get("model").asString());
            assertTrue(a.get("created").asLong() > 1_700_000_000L);
            assertEquals("assistant", a.at("/choices/0/message/role").asString());
            assertEquals("Hello from llama-fake:latest.", a.at("/choices/0/message/content").asString());
            assertEquals("stop", a.at("/choices/0/finish_reason").asString());
            assertEquals(FakeUpstream.PROMPT_TOKENS, a.at("/usage/prompt_tokens").asInt());
            assertEquals(FakeUpstream.COMPLETION_TOKENS, a.at("/usage/completion_tokens").asInt());
            assertEquals(FakeUpstream.PROMPT_TOKENS + FakeUpstream.COMPLETION_TOKENS, a.at("/usage/total_tokens").asInt());
            JsonNode sent = gw.fake.last(Gateway.OLLAMA_CHAT).body();
            assertFalse(sent.get("stream").asBoolean());
            assertEquals("llama-fake:latest", sent.get("model").asString());
            assertEquals("user", sent.at("/messages/0/role").asString());
            assertEquals("hi", sent.at("/messages/0/content").asString());
        }
    }

    @Test
    void every_path_streams_openai_chunks_ending_with_done() {
        String user = start();
        for (String path : Gateway.PATHS) {
            Gateway.Sse s = gw.stream(path, user, chat("gpt-fake", "hi", "stream", true)).expectOk();
            assertEquals("Hello from gpt-fake.", s.content(), path);
            for (JsonNode c : s.chunks()) {
                assertEquals("chat.completion.chunk", c.get("object").asString(), c.toString());
            }
            assertEquals("assistant", s.chunks().getFirst().at("/choices/0/delta/role").asString());
            assertEquals(FakeUpstream.COMPLETION_TOKENS, s.chunks().getLast().at("/usage/completion_tokens").asInt());
            assertEquals(1, s.events().stream().filter(Gateway.Event::done).count());
            assertEquals("text/event-stream", gw.fake.last(Gateway.OPENAI_CHAT).header("Accept"));
            assertTrue(gw.fake.last(Gateway.OPENAI_CHAT).body().get("stream").asBoolean());
        }
    }

    @Test
    void ollama_streams_are_translated_into_chat_completion_chunks() {
        String user = start();
        for (String path : Gateway.PATHS) {
            Gateway.Sse s = gw.stream(path, user, chat("llama-fake:latest", "hi", "stream", true)).expectOk();
            List<JsonNode> chunks = s.chunks();
            assertEquals("Hello from llama-fake:latest.", s.content(), path);
            assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asString(), "role on the first delta");
            for (int i = 0; i < chunks.size(); i++) {
                JsonNode c = chunks.get(i);
                assertEquals("chat.completion.chunk", c.get("object").asString());
                assertEquals(s.header("X-Request-Id"), c.get("id").asString(), "one id for the whole stream");
                assertEquals("llama-fake:latest", c.get("model").asString());
                assertEquals(0, c.at("/choices/0/index").asInt());
                if (i > 0) {
                    assertTrue(c.at("/choices/0/delta/role").isMissingNode(), "role only on the first delta: " + c);
                }
                if (i < chunks.size() - 1) {
                    assertTrue(c.at("/choices/0/finish_reason").isNull(), c.toString());
                    assertTrue(c.path("usage").isMissingNode(), c.toString());
                }
            }
            JsonNode last = chunks.getLast();
            assertEquals("stop", last.at("/choices/0/finish_reason").asString());
            assertEquals(FakeUpstream.PROMPT_TOKENS, last.at("/usage/prompt_tokens").asInt());
            assertEquals(FakeUpstream.COMPLETION_TOKENS, last.at("/usage/completion_tokens").asInt());
            assertEquals(FakeUpstream.PROMPT_TOKENS + FakeUpstream.COMPLETION_TOKENS, last.at("/usage/total_tokens").asInt());
            assertTrue(gw.fake.last(Gateway.OLLAMA_CHAT).body().get("stream").asBoolean());
        }
    }

    @Test
    void sampling_parameters_reach_ollama_as_options() {
        String user = start();
        gw.post("/api/chat/completions", user, chat("llama-fake:latest", "hi", "temperature", 0.4, "top_p", 0.9,
                "max_tokens", 33, "seed", 7, "stop", List.of("END"), "response_format", Map.of("type", "json_object")))
                .expect(200);
        JsonNode sent = gw.fake.last(Gateway.OLLAMA_CHAT).body();
        assertEquals(0.4, sent.at("/options/temperature").asDouble());
        assertEquals(0.9, sent.at("/options/top_p").asDouble());
        assertEquals(33, sent.at("/options/num_predict").asInt());
        assertEquals(7, sent.at("/options/seed").asInt());
        assertEquals("END", sent.at("/options/stop/0").asString());
        assertEquals("json", sent.get("format").asString());
        assertFalse(sent.has("temperature"), "OpenAI names are not sent to Ollama at the top level");
    }

    @Test
    void unknown_request_fields_pass_through_and_web_client_fields_do_not() {
        String user = start();
        Map<String, Object> body = chat("echo", "hi", "logit_bias", Map.of("50256", -100), "user", "end-user-1",
                "stream_options", Map.of("include_usage", true), "vendor_extension", Map.of("a", List.of(1, 2)),
                "chat_id", "c-1", "files", List.of(Map.of("id", "f-1")), "session_id", "s-1", "id", "msg-1",
                "tool_ids", List.of("t"), "features", Map.of("web_search", true));
        JsonNode answer = gw.post("/api/chat/completions", user, body).expect(200).json();
        JsonNode sent = gw.fake.last(Gateway.OPENAI_CHAT).body();
        assertEquals(-100, sent.at("/logit_bias/50256").asInt());
        assertEquals("end-user-1", sent.get("user").asString());
        assertTrue(sent.at("/stream_options/include_usage").asBoolean());
        assertEquals(2, sent.at("/vendor_extension/a/1").asInt());
        for (String dropped : List.of("chat_id", "files", "session_id", "id", "tool_ids", "features")) {
            assertFalse(sent.has(dropped), dropped + " must not reach the model server: " + sent);
        }
        assertEquals(sent, Json.read(answer.at("/choices/0/message/content").asString()), "the echo model saw the same body");
    }

    @Test
    void a_request_shaping_does_not_change_reaches_the_model_server_byte_for_byte() {
        String user = start();
        String sent = "{ \"model\" : \"gpt-fake\", \"messages\": [{\"role\":\"user\",\"content\":\"caf\\u00e9 \u00e9\"}],"
                + " \"temperature\": 0.50, \"n\": 1e0 }";
        gw.api.postRaw("/api/chat/completions", user, sent).expect(200);
        assertEquals(sent, new String(gw.fake.last(Gateway.OPENAI_CHAT).raw(), java.nio.charset.StandardCharsets.UTF_8));

        gw.api.postRaw("/api/chat/completions", user, sent.replace("\"n\"", "\"chat_id\": \"c1\", \"n\"")).expect(200);
        JsonNode shaped = gw.fake.last(Gateway.OPENAI_CHAT).body();
        assertFalse(shaped.has("chat_id"), "a web-client field is removed, so the request is written anew");
        assertEquals(0.5, shaped.get("temperature").asDouble());
    }

    @Test
    void an_unknown_model_is_a_404_with_a_detail() {
        String user = start();
        for (String path : Gateway.PATHS) {
            Api.Res r = gw.post(path, user, chat("no-such-model", "hi")).expectError(404);
            assertTrue(r.json().get("detail").asString().contains("no-such-model"), r.body());
            gw.post(path, user, chat("no-such-model", "hi", "stream", true)).expectError(404);
        }
        assertTrue(gw.fake.requests(Gateway.OPENAI_CHAT).isEmpty());
    }

    @Test
    void a_model_the_server_starts_serving_is_found_by_the_first_request_for_it_and_misses_do_not_flood_it() {
        String user = start();
        gw.post("/api/chat/completions", user, chat("gpt-fake", "hi")).expect(200); // the lists are now cached
        gw.fake.addOpenAiModel("gpt-new");
        gw.post("/api/chat/completions", user, chat("gpt-new", "hi")).expect(200);
        assertEquals("gpt-new", gw.fake.last(Gateway.OPENAI_CHAT).body().get("model").asString());

        int listed = gw.fake.requests("/v1/models").size();
        for (int i = 0; i < 20; i++) {
            gw.post("/api/chat/completions", user, chat("still-unknown-" + i, "hi")).expectError(404);
        }
        assertTrue(gw.fake.requests("/v1/models").size() - listed <= 2, "at most one list fetch a second for unknown models");
    }

    @Test
    void missing_model_or_messages_is_a_422_and_malformed_json_a_400() {
        String user = start();
        Api.Res both = gw.post("/api/chat/completions", user, Map.of()).expectError(422);
        assertEquals(2, both.json().get("detail").size(), both.body());
        Api.Res noMessages = gw.post("/api/chat/completions", user, Map.of("model", "gpt-fake")).expectError(422);
        assertEquals("messages", noMessages.json().at("/detail/0/loc/1").asString());
        Api.Res noModel = gw.post("/api/chat/completions", user, Map.of("messages", List.of())).expectError(422);
        assertEquals("model", noModel.json().at("/detail/0/loc/1").asString());
        gw.post("/api/chat/completions", user, Map.of("model", "gpt-fake", "messages", "hi")).expectError(422);
        gw.post("/api/chat/completions", user, Map.of("model", 3, "messages", List.of())).expectError(422);
        gw.post("/api/chat/completions", user, chat("gpt-fake", "hi", "stream", "yes")).expectError(422);
        gw.api.postRaw("/api/chat/completions", user, "{\"model\": \"gpt-fake\", ").expectError(400);
        gw.api.postRaw("/openai/chat/completions", user, "[]").expectError(422);
        gw.api.postRaw("/api/v1/chat/completions", user, "").expectError(422);
        assertTrue(gw.fake.requests(Gateway.OPENAI_CHAT).isEmpty());
    }

    @Test
    void client_errors_of_the_model_server_keep_their_status() {
        String user = start();
        for (String model : List.of("gpt-fake", "llama-fake:latest")) {
            Api.Res r = gw.post("/api/chat/completions", user, chat(model, "fail:429")).expectError(429);
            assertTrue(r.json().get("detail").asString().contains("fake failure 429"), r.body());
            gw.post("/api/chat/completions", user, chat(model, "fail:400")).expectError(400);
            // Before the first byte is relayed, a failed stream is an ordinary JSON error too.
            gw.post("/api/chat/completions", user, chat(model, "fail:429", "stream", true)).expectError(429);
        }
    }

    @Test
    void server_errors_of_the_model_server_become_502() {
        String user = start();
        for (String model : List.of("gpt-fake", "llama-fake:latest")) {
            for (String failure : List.of("fail:500", "fail:503", "fail:401")) {
                Api.Res r = gw.post("/api/chat/completions", user, chat(model, failure)).expectError(502);
                assertTrue(r.json().get("detail").asString().contains("fake failure"), r.body());
            }
            gw.post("/api/chat/completions", user, chat(model, "fail:500", "stream", true)).expectError(502);
        }
    }

    @Test
    void a_model_server_that_went_away_is_a_502() {
        String user = start();
        gw.api.get("/api/models", user).expect(200); // the catalog still lists the models
        gw.fake.close();
        for (String model : List.of("gpt-fake", "llama-fake:latest")) {
            Api.Res r = gw.post("/api/chat/completions", user, chat(model, "hi")).expectError(502);
            assertTrue(r.json().get("detail").asString().contains("unreachable")
                    || r.json().get("detail").asString().contains("connection"), r.body());
            gw.post("/api/chat/completions", user, chat(model, "hi", "stream", true)).expectError(502);
        }
    }

    @Test
    void a_model_server_that_does_not_answer_in_time_is_a_504() {
        gw = Gateway.start(db, Map.of("AIOHTTP_CLIENT_TIMEOUT", "1"));
        String user = gw.user();
        gw.post("/api/chat/completions", user, chat("gpt-fake", "slow:700:3")).expectError(504);
        gw.post("/api/chat/completions", user, chat("llama-fake:latest", "slow:700:3", "stream", false)).expectError(504);
        // The limit is on the answer's start: a stream that starts at once may run longer.
        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("gpt-fake", "slow:400:4", "stream", true)).expectOk();
        assertEquals("t1 t2 t3 t4 ", s.content());
    }

    @Test
    void pending_users_get_403_and_anonymous_callers_401() {
        gw = Gateway.start(db);
        String pending = gw.server.newUser("pending").token();
        for (String path : Gateway.PATHS) {
            gw.post(path, pending, chat("gpt-fake", "hi")).expectError(403);
            Api.Res anon = gw.post(path, null, chat("gpt-fake", "hi")).expectError(401);
            assertEquals("Bearer", anon.header("WWW-Authenticate"));
        }
        assertTrue(gw.fake.requests(Gateway.OPENAI_CHAT).isEmpty());
    }

    @Test
    void an_api_key_works_like_a_session_token() {
        String user = start();
        String key = gw.api.post("/api/v1/auths/api_key", user, null).expect(200).json().get("api_key").asString();
        assertTrue(key.startsWith("sk-"));
        JsonNode a = gw.post("/api/chat/completions", key, chat("gpt-fake", "hi")).expect(200).json();
        assertEquals("Hello from gpt-fake.", a.at("/choices/0/message/content").asString());
        Api.Res viaHeader = gw.api.send("POST", "/openai/chat/completions",
                Map.of("Content-Type", "application/json", "x-api-key", key), Json.write(chat("gpt-fake", "hi"))).expect(200);
        assertNull(viaHeader.json().get("detail"));
    }
}
