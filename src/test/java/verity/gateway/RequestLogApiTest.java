package verity.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.gateway.Gateway.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.FakeUpstream;

@ParameterizedClass
@EnumSource(Db.class)
class RequestLogApiTest {
    @Parameter
    Db db;

    Gateway gw;
    Api api;
    String user;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        api = gw.api;
        user = gw.user();
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    @Test
    void the_request_id_is_in_both_headers_and_is_the_body_id_when_the_model_server_gave_none() {
        Api.Res ollama = gw.post("/api/chat/completions", user, chat("llama-fake:latest", "hi")).expect(200);
        String id = ollama.header("X-Request-Id");
        assertTrue(id.matches(Gateway.UUID_PATTERN), id);
        assertEquals(id, ollama.header("Helicone-Id"));
        assertEquals(id, ollama.json().get("id").asString());

        Api.Res noId = gw.post("/api/chat/completions", user, chat("gpt-fake", "noid")).expect(200);
        assertEquals(noId.header("X-Request-Id"), noId.json().get("id").asString());
        assertEquals(noId.header("X-Request-Id"), noId.header("Helicone-Id"));

        Api.Res withId = gw.post("/api/chat/completions", user, chat("gpt-fake", "hi")).expect(200);
        assertEquals(withId.header("X-Request-Id"), withId.header("Helicone-Id"));
        assertTrue(withId.json().get("id").asString().startsWith("chatcmpl-fake-"), "the model server's own id is kept");
        assertEquals("gpt-fake", gw.logged(withId.header("Helicone-Id"), user).get("model").asString());
        assertNotEquals(id, noId.header("X-Request-Id"));
    }

    @Test
    void a_uuid_helicone_request_id_is_honoured_and_anything_else_is_ignored() {
        String mine = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
        Api.Res r = gw.post("/api/chat/completions", user, chat("llama-fake:latest", "hi"), "Helicone-Request-Id", mine).expect(200);
        String id = mine.toLowerCase(Locale.ROOT);
        assertEquals(id, r.header("X-Request-Id"));
        assertEquals(id, r.header("Helicone-Id"));
        assertEquals(id, r.json().get("id").asString());
        assertEquals(id, gw.logged(id, user).get("id").asString());

        Gateway.Sse s = gw.stream("/api/chat/completions", user, chat("gpt-fake", "hi", "stream", true),
                "Helicone-Request-Id", "not-a-uuid").expectOk();
        String assigned = s.header("Helicone-Id");
        assertTrue(assigned.matches(Gateway.UUID_PATTERN), assigned);
        assertEquals(assigned, s.header("X-Request-Id"));
        gw.logged(assigned, user);
        api.get("/api/v1/requests/not-a-uuid", user).expectError(404);
    }

    @Test
    void the_owner_and_admins_read_a_logged_request_with_its_details_and_nobody_else_does() {
        String id = UUID.randomUUID().toString();
        Api.Res r = gw.post("/api/chat/completions", user, chat("gpt-fake", "hi", "temperature", 0.5),
                "Helicone-Request-Id", id, "Helicone-Property-Feature", "chat", "Helicone-Property-Session", "s-9",
                "Helicone-User-Id", "end-user-7").expect(200);
        String me = api.get("/api/auths/", user).json().get("id").asString();

        for (String token : List.of(user, gw.admin())) {
            for (String path : List.of("/api/v1/requests/", "/api/requests/")) {
                JsonNode log = api.get(path + id, token).expect(200).json();
                assertEquals(id, log.get("id").asString());
                assertEquals(me, log.get("user_id").asString());
                assertEquals("gpt-fake", log.get("model").asString());
                assertEquals("/api/chat/completions", log.get("path").asString());
                assertEquals("openai:0", log.get("connection").asString());
                assertFalse(log.get("stream").asBoolean());
                assertEquals(200, log.get("status").asInt());
                assertTrue(log.get("error").isNull());
                assertTrue(log.get("latency_ms").asLong() >= 0);
                assertEquals(FakeUpstream.PROMPT_TOKENS, log.get("prompt_tokens").asInt());
                assertEquals(FakeUpstream.COMPLETION_TOKENS, log.get("completion_tokens").asInt());
                assertEquals(FakeUpstream.PROMPT_TOKENS + FakeUpstream.COMPLETION_TOKENS, log.get("total_tokens").asInt());
                assertEquals(Map.of("feature", "chat", "session", "s-9"), Map.of(
                        "feature", log.at("/properties/feature").asString(), "session", log.at("/properties/session").asString()));
                assertEquals(2, log.get("properties").size());
                assertEquals("end-user-7", log.get("helicone_user_id").asString());
                assertEquals(0.5, log.at("/request_body/temperature").asDouble());
                assertEquals("hi", log.at("/request_body/messages/0/content").asString());
                assertEquals(r.json(), log.get("response_body"), "the answer is logged as sent");
                assertTrue(log.get("created_at").asLong() > 1_700_000_000L);
            }
        }
        String other = gw.user();
        api.get("/api/v1/requests/" + id, other).expectError(404);
        api.get("/api/v1/requests/" + id, null).expectError(401);
        api.get("/api/v1/requests/" + UUID.randomUUID(), user).expectError(404);
    }

    @Test
    void a_streamed_request_is_logged_with_the_answer_assembled_from_the_stream() {
        for (String model : List.of("gpt-fake", "llama-fake:latest")) {
            String id = UUID.randomUUID().toString();
            gw.stream("/api/v1/chat/completions", user, chat(model, "hi", "stream", true), "Helicone-Request-Id", id).expectOk();
            JsonNode log = gw.logged(id, user);
            assertTrue(log.get("stream").asBoolean());
            assertEquals(200, log.get("status").asInt());
            assertEquals("/api/v1/chat/completions", log.get("path").asString());
            assertEquals("Hello from " + model + ".", log.at("/response_body/choices/0/message/content").asString(), model);
            assertEquals("stop", log.at("/response_body/choices/0/finish_reason").asString(), model);
            assertEquals(FakeUpstream.PROMPT_TOKENS, log.get("prompt_tokens").asInt(), "usage from the stream");
            assertEquals(FakeUpstream.COMPLETION_TOKENS, log.get("completion_tokens").asInt());
            assertTrue(log.get("time_to_first_token_ms").isIntegralNumber(), log.toString());
            assertTrue(log.get("time_to_first_token_ms").asLong() <= log.get("latency_ms").asLong());
            assertTrue(log.at("/request_body/stream").asBoolean());
        }
    }

    @Test
    void tokens_are_counted_when_the_model_server_reports_no_usage() {
        String plain = UUID.randomUUID().toString();
        String text = "nousage and then a sentence long enough that its echo is clearly more than a handful of tokens";
        gw.post("/api/chat/completions", user, chat("echo", text), "Helicone-Request-Id", plain).expect(200);
        String streamed = UUID.randomUUID().toString();
        gw.stream("/api/chat/completions", user, chat("ollama-echo:latest", text, "stream", true),
                "Helicone-Request-Id", streamed).expectOk();
        for (String id : List.of(plain, streamed)) {
            JsonNode log = gw.logged(id, user);
            // The echo models answer with the JSON of the request: far more than the fake's usual 5 tokens.
            assertTrue(log.get("completion_tokens").asInt() > 20, log.toString());
            assertTrue(log.get("prompt_tokens").asInt() > 0, log.toString());
            assertNotEquals(FakeUpstream.PROMPT_TOKENS, log.get("prompt_tokens").asInt());
            assertEquals(log.get("prompt_tokens").asInt() + log.get("completion_tokens").asInt(), log.get("total_tokens").asInt());
        }
    }

    @Test
    void failed_requests_are_logged_with_their_status_and_error() {
        String limited = UUID.randomUUID().toString();
        gw.post("/api/chat/completions", user, chat("gpt-fake", "fail:429"), "Helicone-Request-Id", limited).expectError(429);
        String unknown = UUID.randomUUID().toString();
        Api.Res r = gw.post("/api/chat/completions", user, chat("no-such-model", "hi"), "Helicone-Request-Id", unknown)
                .expectError(404);
        assertEquals(unknown, r.header("Helicone-Id"), "error answers carry the id too");
        String broken = UUID.randomUUID().toString();
        gw.post("/api/chat/completions", user, chat("llama-fake:latest", "fail:500"), "Helicone-Request-Id", broken).expectError(502);

        JsonNode log = gw.logged(limited, user);
        assertEquals(429, log.get("status").asInt());
        assertTrue(log.get("error").asString().contains("fake failure 429"), log.toString());
        log = gw.logged(unknown, user);
        assertEquals(404, log.get("status").asInt());
        assertEquals("no-such-model", log.get("model").asString());
        log = gw.logged(broken, user);
        assertEquals(502, log.get("status").asInt());
        assertEquals("ollama:0", log.get("connection").asString());
    }

    @Test
    void the_list_shows_users_their_own_requests_and_admins_everything() {
        String admin = gw.admin();
        String other = gw.user();
        Set<String> mine = new HashSet<>();
        for (String model : List.of("gpt-fake", "llama-fake:latest", "gpt-fake")) {
            mine.add(gw.post("/api/chat/completions", user, chat(model, "hi")).expect(200).header("Helicone-Id"));
        }
        String theirs = gw.post("/api/chat/completions", other, chat("gpt-fake", "hi")).expect(200).header("Helicone-Id");
        String admins = gw.post("/api/chat/completions", admin, chat("echo", "hi")).expect(200).header("Helicone-Id");
        mine.forEach(id -> gw.logged(id, user)); // waits until the writer saved them
        gw.logged(theirs, other);
        gw.logged(admins, admin);

        JsonNode own = api.get("/api/v1/requests", user).expect(200).json();
        assertEquals(3, own.get("total").asInt());
        assertEquals(1, own.get("page").asInt());
        assertEquals(1, own.get("pages").asInt());
        Set<String> listed = new HashSet<>();
        own.get("items").forEach(i -> listed.add(i.get("id").asString()));
        assertEquals(mine, listed);
        assertFalse(own.at("/items/0").has("request_body"), "the list leaves the bodies out");
        assertTrue(own.at("/items/0").has("latency_ms"));
        JsonNode newest = own.at("/items/0");
        assertTrue(newest.get("created_at_ms").asLong() >= own.at("/items/2/created_at_ms").asLong(), "newest first");

        String otherId = api.get("/api/auths/", other).json().get("id").asString();
        assertEquals(3, api.get("/api/requests?user_id=" + otherId, user).json().get("total").asInt(),
                "a user cannot look at someone else's requests through the filter");
        assertEquals(2, api.get("/api/requests?model=gpt-fake", user).json().get("total").asInt());

        assertEquals(5, api.get("/api/v1/requests", admin).expect(200).json().get("total").asInt());
        JsonNode filtered = api.get("/api/v1/requests?user_id=" + otherId, admin).json();
        assertEquals(1, filtered.get("total").asInt());
        assertEquals(theirs, filtered.at("/items/0/id").asString());
        assertEquals(3, api.get("/api/v1/requests?model=gpt-fake", admin).json().get("total").asInt());
        assertEquals(0, api.get("/api/v1/requests?page=2", admin).json().get("items").size());
        api.get("/api/v1/requests?page=0", admin).expectError(422);
        api.get("/api/v1/requests", null).expectError(401);
        api.get("/api/v1/requests", gw.server.newUser("pending").token()).expectError(403);
    }

    @Test
    void the_request_log_stats_are_for_admins() {
        String id = gw.post("/api/chat/completions", user, chat("gpt-fake", "hi")).expect(200).header("Helicone-Id");
        gw.logged(id, user);
        JsonNode stats = api.get("/api/v1/requests/stats", gw.admin()).expect(200).json();
        assertEquals(1, stats.get("written").asInt(), stats.toString());
        assertEquals(0, stats.get("failed").asInt());
        assertEquals(0, stats.get("queued").asInt());
        assertEquals(0, stats.get("behind").asInt());
        api.get("/api/requests/stats", user).expectError(403);
        api.get("/api/requests/stats", null).expectError(401);
    }
}
