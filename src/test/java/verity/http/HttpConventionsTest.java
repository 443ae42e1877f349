package verity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

@ParameterizedClass
@EnumSource(Db.class)
class HttpConventionsTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    /** Sends raw bytes; {@code chunked} streams them without a Content-Length. */
    static Api.Res sendBytes(Api api, String path, byte[] body, boolean chunked) {
        HttpRequest.BodyPublisher publisher = chunked
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(publisher).build();
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isEmpty() ? MissingNode.getInstance() : Json.read(r.body());
            } catch (RuntimeException notJson) {
                json = MissingNode.getInstance();
            }
            return new Api.Res(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void assertUuid(String value) {
        assertNotNull(value, "X-Request-Id missing");
        assertEquals(value, UUID.fromString(value).toString(), value);
    }

    @Test
    void every_response_carries_a_request_id() {
        String token = server.admin().token();
        List<Api.Res> responses = List.of(
                api.get("/health", null),
                api.get("/api/auths/", token),
                api.get("/api/auths/", null),
                api.get("/api/nope", null),
                api.postRaw("/api/auths/signin", null, "{broken"),
                api.send("OPTIONS", "/api/auths/", Map.of("Origin", "http://example.com",
                        "Access-Control-Request-Method", "GET"), null));
        for (Api.Res r : responses) {
            assertUuid(r.header("X-Request-Id"));
        }
        assertNotEquals(responses.get(0).header("X-Request-Id"), responses.get(1).header("X-Request-Id"));
    }

    @Test
    void a_sane_caller_request_id_is_echoed_and_an_unsafe_one_replaced() {
        String mine = "trace-1234.abc:ef_" + UUID.randomUUID();
        assertEquals(mine, api.send("GET", "/health", Map.of("X-Request-Id", mine), null).header("X-Request-Id"));
        assertEquals(mine, api.send("GET", "/api/nope", Map.of("X-Request-Id", mine), null).header("X-Request-Id"));
        for (String unsafe : new String[] {"a".repeat(200), "has spaces in it", "semi;colon", "<script>"}) {
            String echoed = api.send("GET", "/health", Map.of("X-Request-Id", unsafe), null).header("X-Request-Id");
            assertUuid(echoed);
        }
    }

    @Test
    void routes_answer_on_the_seed_path_the_v1_path_and_without_a_trailing_slash() {
        String token = server.admin().token();
        for (String path : new String[] {"/api/auths/", "/api/v1/auths/", "/api/auths", "/api/v1/auths", "/api//auths/"}) {
            Api.Res r = api.get(path, token).expect(200);
            assertEquals(TestServer.ADMIN_EMAIL, r.json().get("email").asString(), path);
        }
    }

    @Test
    void unknown_paths_are_a_json_404_for_any_method() {
        for (String path : new String[] {"/api/nope", "/api/v1/nope/deeper", "/api/v1/nope/deeper/", "/nope", "/api/auths/nope"}) {
            Api.Res get = api.get(path, null).expectError(404);
            assertFalse(get.body().contains("<html"), get.body());
            api.post(path, null, Map.of("a", 1)).expectError(404);
            api.send("PUT", path, Map.of(), "x").expectError(404);
        }
    }

    @Test
    void a_wrong_method_on_a_known_path_is_a_json_404_or_405() {
        for (String[] call : new String[][] {{"DELETE", "/api/auths/signin"}, {"PUT", "/api/auths/"}, {"POST", "/health"},
                {"PATCH", "/api/v1/auths/signup"}}) {
            Api.Res r = api.send(call[0], call[1], Map.of("Content-Type", "application/json"), "{}");
            assertTrue(r.status() == 404 || r.status() == 405, call[0] + " " + call[1] + " -> " + r.status());
            r.expectError(r.status());
        }
    }

    @Test
    void cross_origin_requests_get_cors_headers_with_the_default_wildcard() {
        Api.Res r = api.send("GET", "/api/config", Map.of("Origin", "http://example.com"), null).expect(200);
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        String exposed = r.header("Access-Control-Expose-Headers");
        assertNotNull(exposed);
        assertTrue(exposed.toLowerCase().contains("x-request-id"), exposed);
        // Even an error answer carries the header, so browsers can read the detail.
        Api.Res err = api.send("GET", "/api/auths/", Map.of("Origin", "http://example.com"), null).expectError(401);
        assertEquals("*", err.header("Access-Control-Allow-Origin"));
    }

    @Test
    void a_preflight_needs_no_credentials() {
        for (String path : new String[] {"/api/auths/", "/api/v1/users/", "/api/auths/signin"}) {
            Api.Res r = api.send("OPTIONS", path, Map.of("Origin", "http://example.com",
                    "Access-Control-Request-Method", "POST",
                    "Access-Control-Request-Headers", "authorization,content-type"), null);
            assertTrue(r.status() == 200 || r.status() == 204, path + " -> " + r.status() + " " + r.body());
            assertEquals("*", r.header("Access-Control-Allow-Origin"), path);
            String headers = r.header("Access-Control-Allow-Headers");
            assertNotNull(headers, path);
            assertTrue(headers.toLowerCase().contains("authorization"), headers);
            assertNotNull(r.header("Access-Control-Allow-Methods"), path);
        }
    }

    @Test
    void a_cors_allow_list_reflects_only_listed_origins() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("CORS_ALLOW_ORIGIN", "http://good.example;https://also.example:8443"))) {
            Api.Res good = fresh.api.send("GET", "/api/config", Map.of("Origin", "http://good.example"), null).expect(200);
            assertEquals("http://good.example", good.header("Access-Control-Allow-Origin"));
            assertEquals("true", good.header("Access-Control-Allow-Credentials"));
            Api.Res also = fresh.api.send("GET", "/api/config", Map.of("Origin", "https://also.example:8443"), null).expect(200);
            assertEquals("https://also.example:8443", also.header("Access-Control-Allow-Origin"));
            Api.Res evil = fresh.api.send("GET", "/api/config", Map.of("Origin", "http://evil.example"), null);
            assertNull(evil.header("Access-Control-Allow-Origin"));
            Api.Res preflight = fresh.api.send("OPTIONS", "/api/auths/", Map.of("Origin", "http://evil.example",
                    "Access-Control-Request-Method", "GET"), null);
            assertNull(preflight.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void a_body_over_max_body_size_is_a_json_413_with_or_without_content_length() {
        try (TestServer fresh = TestServer.fresh(db, Map.of("MAX_BODY_SIZE", "64k"))) {
            byte[] big = ("{\"email\":\"a@b.c\",\"password\":\"" + "x".repeat(200 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
            // Repeated, because a server that closes on an unread body loses the 413 to a reset now and then.
            for (int i = 0; i < 25; i++) {
                Api.Res r = sendBytes(fresh.api, "/api/auths/signin", big, i % 5 == 4).expectError(413);
                assertTrue(r.json().get("detail").asString().toLowerCase().contains("too large"), r.body());
            }
            fresh.api.get("/health", null).expect(200);
            sendBytes(fresh.api, "/api/auths/signin", big, true).expectError(413);
            fresh.api.get("/health", null).expect(200);
            sendBytes(fresh.api, "/api/auths/signup", big, true).expectError(413);
            // Just under the limit is read normally (unknown fields are ignored: a plain bad sign-in).
            byte[] small = ("{\"email\":\"a@b.c\",\"password\":\"x\",\"pad\":\"" + "x".repeat(60 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            sendBytes(fresh.api, "/api/auths/signin", small, true).expectError(400);
            fresh.api.get("/health", null).expect(200);
        }
    }

    @Test
    void garbage_bodies_are_a_json_4xx_never_a_500() {
        byte[] deep = ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
        byte[] deepObject = ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8);
        byte[] badUtf8 = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE,
                '"', ',', '"', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        byte[] rawNul = {'{', '"', 'e', '"', ':', '"', 0, '"', '}'};
        String[] texts = {
            "{\"email\":\"a\\u0000b@c.d\",\"password\":\"p\\u0000w\",\"name\":\"n\\u0000\"}",
            "{\"email\":1e999999,\"password\":123456789012345678901234567890123456789012345678901234567890}",
            "{\"email\":\"a@b.c\",\"password\":" + "9".repeat(5000) + "}",
            "{\"email\":\"a@b.c\",\"password\":-1e-99999999}",
            "{\"email\":\"a@b.c\",\"password\":\"pw\"}garbage",
            "{\"email\":\"a@b.c\",\"password\":\"pw\",\"email\":\"x@y.z\"}",
            "{\"email\":{\"$ne\":null},\"password\":[\"a\"]}",
            "\"just a string\"", "null", "true", "12", "\uFEFF{}", "{\"\\ud800\":\"\\udfff\"}", "{'email':'a'}", "{\"email\":NaN}",
        };
        for (String path : new String[] {"/api/auths/signin", "/api/auths/signup"}) {
            List<byte[]> bodies = new java.util.ArrayList<>(List.of(deep, deepObject, badUtf8, rawNul));
            Arrays.stream(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).forEach(bodies::add);
            for (byte[] body : bodies) {
                String shown = new String(body, 0, Math.min(body.length, 60), StandardCharsets.UTF_8);
                Api.Res r = sendBytes(api, path, body, false);
                assertTrue(r.status() >= 400 && r.status() < 500, path + " " + shown + " -> " + r.status() + " " + r.body());
                r.expectError(r.status());
            }
        }
        // NUL can be neither stored in PostgreSQL text nor kept by SQLite: refused as a 422 on both.
        Api.Res nul = api.post("/api/auths/signup", null, Map.of("name", "n\u0000", "email", "a\u0000b@c.d", "password", "pw"))
                .expectError(422);
        assertEquals(2, nul.json().get("detail").size(), nul.body());
        api.post("/api/auths/signin", null, Map.of("email", "x@y.z", "password", "p\u0000w")).expectError(422);
        // Free-form JSON (a chat) with NUL: whatever the route makes of it, PostgreSQL's refusal is not a 500.
        Api.Res chat = api.post("/api/v1/chats/new", server.newUser("user").token(),
                Map.of("chat", Map.of("title", "t\u0000", "messages", List.of(Map.of("content", "a\u0000b")))));
        assertTrue(chat.status() < 500, chat.status() + " " + chat.body());
        api.get("/health", null).expect(200);
    }

    @Test
    void a_wrong_content_type_still_reads_json_or_fails_cleanly() {
        Api.Res r = api.send("POST", "/api/auths/signin", Map.of("Content-Type", "text/plain"),
                "{\"email\":\"nobody@verity.test\",\"password\":\"x\"}");
        assertTrue(r.status() == 400 || r.status() == 415 || r.status() == 422, "status " + r.status());
        r.expectError(r.status());
        Api.Res form = api.send("POST", "/api/auths/signin", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "email=a%40b.c&password=x");
        assertTrue(form.status() >= 400 && form.status() < 500, "status " + form.status());
        form.expectError(form.status());
    }

    @Test
    void a_uri_jetty_refuses_before_routing_is_still_a_json_error() {
        Api.Res r = api.get("/api/chats/a%00b", null);
        assertEquals(400, r.status(), r.body());
        r.expectError(400);
    }
}
