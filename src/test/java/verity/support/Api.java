package verity.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;
import verity.http.Json;

/** A small HTTP client for tests: real requests, JSON in and out. */
public final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    public final String base;

    public Api(String base) {
        this.base = base;
    }

    /** A signed-in account: its id, token and role. */
    public record Account(String id, String email, String token, String role) {}

    /** A response with its status, headers, raw text and parsed JSON (MissingNode when not JSON). */
    public record Res(int status, HttpResponse<String> raw, JsonNode json) {
        public Res expect(int expected) {
            assertEquals(expected, status, () -> "unexpected status, body: " + raw.body());
            return this;
        }

        /** Asserts an error status with a {"detail"} JSON body. */
        public Res expectError(int expected) {
            expect(expected);
            assertTrue(json.has("detail"), () -> "error without detail: " + raw.body());
            assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            return this;
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String body() {
            return raw.body();
        }
    }

    public Account signin(String email, String password) {
        Res r = post("/api/auths/signin", null, Map.of("email", email, "password", password)).expect(200);
        return new Account(r.json.get("id").asString(), r.json.get("email").asString(),
                r.json.get("token").asString(), r.json.get("role").asString());
    }

    public Res get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Res delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    public Res post(String path, String token, Object body) {
        return postRaw(path, token, body == null ? "" : Json.write(body));
    }

    public Res postRaw(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A JSON POST of exactly these bytes (which need not be valid UTF-8). */
    public Res postBytes(String path, String token, byte[] body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A multipart/form-data POST with one file part named {@code file} and optional text fields. */
    public Res upload(String path, String token, String filename, String contentType, byte[] content, Map<String, String> fields) {
        String boundary = "----verity" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        fields.forEach((name, value) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n").getBytes(utf8)));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(utf8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(utf8));
        return send(request(path, token).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())));
    }

    public Res upload(String path, String token, String filename, String contentType, byte[] content) {
        return upload(path, token, filename, contentType, content, Map.of());
    }

    public Res send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static Res send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isEmpty() ? MissingNode.getInstance() : Json.read(r.body());
            } catch (RuntimeException notJson) {
                json = MissingNode.getInstance();
            }
            return new Res(r.statusCode(), r, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A mutable JSON body. */
    public static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
