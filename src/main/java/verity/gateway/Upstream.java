package verity.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import verity.http.Json;

/**
 * HTTP to model servers: the JDK client pinned to HTTP/1.1 (its default HTTP/2 sends an h2c upgrade on plain
 * http, which several model servers mishandle). A pooled connection the server already closed fails on first
 * use; such a send is retried once, which is safe because nothing has been forwarded yet.
 */
public final class Upstream {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Duration timeout;

    /** @param timeout how long to wait for response headers (the stream itself is bounded by an idle check) */
    public Upstream(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }

    public JsonNode getJson(String url, String apiKey, Duration wait) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(wait).GET();
        authorize(b, apiKey);
        HttpResponse<String> r = send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 400) {
            throw new UpstreamException(502, "Model server answered " + r.statusCode() + " for " + url);
        }
        try {
            return Json.read(r.body());
        } catch (RuntimeException e) {
            throw new UpstreamException(502, "Model server sent invalid JSON for " + url);
        }
    }

    /** POSTs JSON and returns the response with its body still unread (the caller streams it and closes it). */
    public HttpResponse<InputStream> post(String url, String apiKey, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        authorize(b, apiKey);
        headers.forEach(b::header);
        return send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static void authorize(HttpRequest.Builder b, String apiKey) {
        if (apiKey != null && !apiKey.isBlank()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request, handler);
            } catch (HttpConnectTimeoutException | ConnectException e) {
                throw new UpstreamException(502, "Model server unreachable: " + request.uri().getHost() + ":" + request.uri().getPort());
            } catch (HttpTimeoutException e) {
                throw new UpstreamException(504, "Model server did not answer within " + timeout.toSeconds() + " s");
            } catch (IOException e) {
                if (attempt == 1) {
                    continue;
                }
                throw new UpstreamException(502, "Model server connection failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UpstreamException(502, "Interrupted while calling the model server");
            }
        }
    }
}
