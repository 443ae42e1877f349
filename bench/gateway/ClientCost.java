import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU per call of candidate HTTP clients for the model-server hop, used the way the gateway would use them:
 * N virtual threads each POSTing the chat request in a loop, reading the body as a stream to its end.
 * Prints calls/s and this process's CPU µs per call after a warm-up. Needs the libraries on the class path:
 *
 *   java -cp "$(cat cp.txt)" bench/gateway/ClientCost.java URL CLIENT [threads=64] [seconds=10] [warmup=10]
 *
 * STREAM=1 asks for the streamed (SSE, chunked) answer instead.
 * CLIENT: jdk (java.net.http, HTTP/1.1, virtual-thread executor, 300 s request timeout), jetty (jetty-client 12,
 * InputStreamResponseListener), apache (httpclient5 classic, pooling manager), okhttp (okhttp 4), raw (one
 * kept-alive socket per thread, Content-Length only: a floor, see HttpClientCost.java), verity (the gateway's own
 * verity.gateway.ModelHttp; needs target/classes on the class path).
 */
public class ClientCost {
    static final String BODY = "{\"model\":\"fake-model\",\"stream\":" + "1".equals(System.getenv("STREAM")) + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in twenty tokens\"}]}";

    interface Call { void run() throws Exception; }

    public static void main(String[] a) throws Exception {
        String url = a[0];
        String kind = a[1];
        int threads = a.length > 2 ? Integer.parseInt(a[2]) : 64;
        int seconds = a.length > 3 ? Integer.parseInt(a[3]) : 10;
        int warmup = a.length > 4 ? Integer.parseInt(a[4]) : 10;
        java.util.function.Supplier<Call> factory = switch (kind) {
            case "jdk" -> jdk(url);
            case "jetty" -> jetty(url, threads);
            case "apache" -> apache(url, threads);
            case "okhttp" -> okhttp(url, threads);
            case "raw" -> () -> { throw new UnsupportedOperationException("use HttpClientCost.java ... raw"); };
            case "verity" -> verity(url);
            default -> throw new IllegalArgumentException(kind);
        };
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        AtomicLong errors = new AtomicLong();
        for (int i = 0; i < threads; i++) {
            pool.submit(() -> {
                Call c = factory.get();
                while (System.nanoTime() < end) {
                    try {
                        c.run();
                        calls.incrementAndGet();
                    } catch (Exception e) {
                        if (errors.incrementAndGet() < 3) e.printStackTrace();
                    }
                }
                return null;
            });
        }
        Thread.sleep(warmup * 1000L);
        long c0 = calls.get(), cpu0 = cpuMicros();
        Thread.sleep(seconds * 1000L);
        long n = calls.get() - c0, cpu = cpuMicros() - cpu0;
        System.out.printf("%s threads=%d: %.0f calls/s, %.1f CPU µs per call, errors %d%n", kind, threads, n / (double) seconds,
                cpu / (double) n, errors.get());
        System.exit(0);
    }

    static java.util.function.Supplier<Call> jdk(String url) {
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(java.time.Duration.ofSeconds(5)).executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        return () -> () -> {
            var r = java.net.http.HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(300))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(BODY)).build();
            var res = client.send(r, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = res.body()) { in.readAllBytes(); }
        };
    }

    static java.util.function.Supplier<Call> jetty(String url, int threads) {
        var client = new org.eclipse.jetty.client.HttpClient();
        client.setMaxConnectionsPerDestination(threads * 2);
        client.setConnectTimeout(5000);
        try { client.start(); } catch (Exception e) { throw new RuntimeException(e); }
        return () -> () -> {
            var listener = new org.eclipse.jetty.client.InputStreamResponseListener();
            client.newRequest(url).method("POST").timeout(300, TimeUnit.SECONDS)
                    .body(new org.eclipse.jetty.client.StringRequestContent("application/json", BODY)).send(listener);
            var res = listener.get(300, TimeUnit.SECONDS);
            if (res.getStatus() != 200) throw new IllegalStateException("status " + res.getStatus());
            try (InputStream in = listener.getInputStream()) { in.readAllBytes(); }
        };
    }

    static java.util.function.Supplier<Call> apache(String url, int threads) {
        var cm = org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(threads * 2).setMaxConnTotal(threads * 2).build();
        var client = org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(cm)
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement().disableAuthCaching()
                .disableContentCompression().build();
        return () -> () -> {
            var post = new org.apache.hc.client5.http.classic.methods.HttpPost(url);
            post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(BODY, org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
            try (var res = client.executeOpen(null, post, null)) {
                try (InputStream in = res.getEntity().getContent()) { in.readAllBytes(); }
            }
        };
    }

    static java.util.function.Supplier<Call> okhttp(String url, int threads) {
        var client = new okhttp3.OkHttpClient.Builder().connectionPool(new okhttp3.ConnectionPool(threads * 2, 5, TimeUnit.MINUTES))
                .readTimeout(300, TimeUnit.SECONDS).retryOnConnectionFailure(true).build();
        var json = okhttp3.MediaType.get("application/json");
        return () -> () -> {
            var req = new okhttp3.Request.Builder().url(url).post(okhttp3.RequestBody.create(BODY, json)).build();
            try (var res = client.newCall(req).execute()) {
                try (InputStream in = res.body().byteStream()) { in.readAllBytes(); }
            }
        };
    }

    /** The gateway's own client (package-private, reached by reflection; target/classes on the class path). */
    static java.util.function.Supplier<Call> verity(String url) {
        try {
            Class<?> c = Class.forName("verity.gateway.ModelHttp");
            var ctor = c.getDeclaredConstructor(int.class);
            ctor.setAccessible(true);
            Object http = ctor.newInstance(5000);
            var send = c.getDeclaredMethod("send", String.class, String.class, java.util.Map.class, byte[].class, int.class);
            send.setAccessible(true);
            Class<?> rc = Class.forName("verity.gateway.ModelHttp$Response");
            var body = rc.getDeclaredMethod("body");
            body.setAccessible(true);
            var close = rc.getDeclaredMethod("close");
            close.setAccessible(true);
            byte[] bytes = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.util.Map<String, String> headers = java.util.Map.of("Content-Type", "application/json");
            return () -> () -> {
                Object r = send.invoke(http, "POST", url, headers, bytes, 300_000);
                try (InputStream in = (InputStream) body.invoke(r)) {
                    in.readAllBytes();
                } finally {
                    close.invoke(r);
                }
            };
        } catch (ReflectiveOperationException e) {
            throw new RuntimeException(e);
        }
    }

    static long cpuMicros() throws Exception {
        String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000L / 100;
    }
}
