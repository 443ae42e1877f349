package verity.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import verity.config.Proxies;
import verity.http.Json;

/**
 * HTTP to model servers over {@link ModelHttp}: HTTP/1.1, pooled kept-alive connections, blocking reads on the
 * calling (virtual) thread. The timeout bounds every wait for the model server: the start of its answer and each
 * silence within a streamed answer (a stalled stream ends with a {@link SocketTimeoutException}).
 */
public final class Upstream implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final String USER_AGENT = "Verity";

    private final ModelHttp http;
    private final Duration timeout;
    private final int timeoutMs;

    /** @param timeout how long the model server may stay silent: before its answer starts and within a stream */
    public Upstream(Duration timeout) {
        this(timeout, Proxies.NONE);
    }

    /** @param proxies the outbound proxies (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) */
    public Upstream(Duration timeout, Proxies proxies) {
        this.http = new ModelHttp(CONNECT_TIMEOUT_MS, null, proxies);
        this.timeout = timeout;
        this.timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    public Duration timeout() {
        return timeout;
    }

    /** An answer whose body is still to be read; closing it before the body's end cancels the exchange. */
    public static final class Response implements AutoCloseable {
        private final ModelHttp.Response r;

        Response(ModelHttp.Response r) {
            this.r = r;
        }

        public int statusCode() {
            return r.status();
        }

        public String contentType() {
            return r.header("content-type");
        }

        public InputStream body() {
            return r.body();
        }

        @Override
        public void close() {
            r.close();
        }
    }

    public JsonNode getJson(String url, String apiKey, Duration wait) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        headers.put("Accept", "application/json");
        authorize(headers, apiKey);
        int waitMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, wait.toMillis()));
        try (Response r = send("GET", url, headers, null, waitMs, wait)) {
            if (r.statusCode() >= 400) {
                throw new UpstreamException(502, "Model server answered " + r.statusCode() + " for " + url);
            }
            String text;
            try {
                text = new String(r.body().readNBytes(64 << 20), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new UpstreamException(504, "Model server did not answer within " + wait.toSeconds() + " s");
            } catch (IOException e) {
                throw new UpstreamException(502, "Model server connection broke: " + e.getMessage());
            }
            try {
                return Json.read(text);
            } catch (RuntimeException e) {
                throw new UpstreamException(502, "Model server sent invalid JSON for " + url);
            }
        }
    }

    /** POSTs JSON and returns the response with its body still unread (the caller reads it and closes it). */
    public Response post(String url, String apiKey, byte[] body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        headers.put("Content-Type", "application/json");
        authorize(headers, apiKey);
        headers.putAll(extraHeaders);
        return send("POST", url, headers, body, timeoutMs, timeout);
    }

    private static void authorize(Map<String, String> headers, String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
    }

    private Response send(String method, String url, Map<String, String> headers, byte[] body, int waitMs, Duration wait) {
        try {
            return new Response(http.send(method, url, headers, body, waitMs));
        } catch (ModelHttp.ConnectFailed e) {
            ModelHttp.Target t = http.target(url);
            throw new UpstreamException(502, "Model server unreachable: " + t.host() + ":" + t.port()
                    + (t.via() == null ? "" : " through the proxy " + t.via() + " (" + e.getMessage() + ")"));
        } catch (SocketTimeoutException e) {
            throw new UpstreamException(504, "Model server did not answer within " + wait.toSeconds() + " s");
        } catch (IOException e) {
            throw new UpstreamException(502, "Model server connection failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UpstreamException(502, "Bad model server URL " + url + ": " + e.getMessage());
        }
    }

    /** Closes idle pooled connections. */
    @Override
    public void close() {
        http.close();
    }
}
