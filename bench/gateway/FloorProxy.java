import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.ThreadPool;
import verity.gateway.Upstream;

/**
 * The floor of the gateway's stack: a bare Jetty 12 server on virtual threads (one per task, as the server runs
 * it) whose only handler relays the request body to the model server with the server's own client
 * ({@code verity.gateway.Upstream}) and writes the answer back. No authentication, JSON, request log, routing or
 * error handling: what a proxied request costs before Verity does anything of its own.
 *
 *   java -cp verity.jar bench/gateway/FloorProxy.java PORT UPSTREAM_CHAT_URL
 */
public class FloorProxy {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String url = args[1];
        Upstream upstream = new Upstream(Duration.ofSeconds(300));
        Server server = new Server(new VirtualPerTask());
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(0);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response res, Callback callback) throws Exception {
                long length = req.getLength();
                InputStream in = Request.asInputStream(req);
                byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
                byte[] answer;
                int status;
                try (Upstream.Response r = upstream.post(url, null, body, Map.of())) {
                    status = r.statusCode();
                    answer = r.body().readAllBytes();
                }
                res.setStatus(status);
                res.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                res.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.length);
                res.write(true, ByteBuffer.wrap(answer), callback);
                return true;
            }
        });
        server.start();
        System.out.println("floor proxy on " + port + " -> " + url);
        Thread.currentThread().join(); // every other thread is a virtual (daemon) thread
    }

    /** Every task on a new virtual thread, selectors included (what Javalin's useVirtualThreads gives Jetty). */
    static final class VirtualPerTask extends org.eclipse.jetty.util.component.AbstractLifeCycle implements ThreadPool {
        private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("floor-", 0).factory());

        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }

        @Override
        public void join() {}

        @Override
        public int getThreads() {
            return 0;
        }

        @Override
        public int getIdleThreads() {
            return 0;
        }

        @Override
        public boolean isLowOnThreads() {
            return false;
        }
    }
}
