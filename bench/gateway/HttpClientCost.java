import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the JDK HttpClient alone costs per proxied call, configured as Verity's Upstream is: N virtual threads
 * each POSTing the chat request to the fake upstream in a loop and reading the whole body, for a fixed time.
 * Prints calls/s and this process's CPU µs per call (from /proc/self/stat, so JIT warm-up is excluded by the
 * warm-up phase). Run with the JDK's single-file launcher:
 *
 *   java bench/gateway/HttpClientCost.java URL [threads=64] [seconds=10] [warmup=10] [timeout=on|off] [executor=vt|default|raw]
 *
 * executor=raw replaces the JDK client by a minimal blocking HTTP/1.1 exchange on one kept-alive socket per virtual
 * thread (request bytes out, status line and headers parsed, Content-Length body read): a floor for what a lean
 * client costs, not a complete client (no chunked bodies, no redirects).
 */
public class HttpClientCost {
    public static void main(String[] a) throws Exception {
        String url = a[0];
        int threads = a.length > 1 ? Integer.parseInt(a[1]) : 64;
        int seconds = a.length > 2 ? Integer.parseInt(a[2]) : 10;
        int warmup = a.length > 3 ? Integer.parseInt(a[3]) : 10;
        boolean timeout = a.length <= 4 || !a[4].equals("off");
        boolean vtExecutor = a.length <= 5 || !a[5].equals("default");
        boolean raw = a.length > 5 && a[5].equals("raw");
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5));
        if (vtExecutor) {
            b.executor(Executors.newVirtualThreadPerTaskExecutor());
        }
        HttpClient client = b.build();
        String body = "{\"model\":\"fake-model\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in twenty tokens\"}]}";
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + (warmup + seconds) * 1_000_000_000L;
        long[] mark = new long[2];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                pool.submit(() -> {
                    if (raw) {
                        rawLoop(URI.create(url), body, end, calls);
                        return null;
                    }
                    while (System.nanoTime() < end) {
                        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
                        if (timeout) {
                            r.timeout(Duration.ofSeconds(300));
                        }
                        HttpResponse<java.io.InputStream> res = client.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
                        try (var in = res.body()) {
                            in.readAllBytes();
                        }
                        calls.incrementAndGet();
                    }
                    return null;
                });
            }
            Thread.sleep(warmup * 1000L);
            mark[0] = calls.get();
            mark[1] = cpuMicros();
            Thread.sleep(seconds * 1000L);
            long n = calls.get() - mark[0];
            long cpu = cpuMicros() - mark[1];
            System.out.printf("timeout=%s executor=%s threads=%d: %.0f calls/s, %.1f CPU µs per call%n",
                    timeout ? "on" : "off", raw ? "raw-socket" : vtExecutor ? "virtual" : "default", threads, n / (double) seconds, cpu / (double) n);
        }
        System.exit(0);
    }

    static void rawLoop(URI uri, String body, long end, AtomicLong calls) throws Exception {
        byte[] req = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
            s.setTcpNoDelay(true);
            var in = new java.io.BufferedInputStream(s.getInputStream(), 16384);
            var out = s.getOutputStream();
            while (System.nanoTime() < end) {
                out.write(req);
                out.flush();
                int length = -1;
                for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                    if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (length < 0) {
                    throw new IllegalStateException("no Content-Length");
                }
                in.readNBytes(length);
                calls.incrementAndGet();
            }
        }
    }

    static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new java.io.EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    static long cpuMicros() throws Exception {
        String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1_000_000L / 100; // CLK_TCK 100
    }
}
