package verity.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import verity.auth.Authenticator;
import verity.auth.Principal;
import verity.http.Access;
import verity.http.ApiException;
import verity.http.ErrorHandlers;
import verity.http.Json;
import verity.http.RequestIds;
import verity.http.ServerTiming;

/**
 * Serves {@code POST} on the chat-completion paths straight from Jetty, in front of Javalin, which the relay
 * does not need: no servlet request, routing, context or result copy per call. It does what Javalin's before
 * handlers, {@link Authenticator} and {@link ErrorHandlers} do for these routes (X-Request-Id, the body size
 * limit, credentials and rate limit, {@code {"detail"}} errors, Server-Timing). Everything else goes on to
 * Javalin, and so do cross-origin requests, which need the CORS plugin's headers.
 */
final class CompletionHandler extends Handler.Wrapper {
    private final CompletionRoutes routes;
    private final Set<String> paths;
    private final Authenticator authenticator;
    private final long maxBodySize;

    CompletionHandler(CompletionRoutes routes, List<String> paths, Authenticator authenticator, long maxBodySize) {
        this.routes = routes;
        this.paths = Set.copyOf(paths);
        this.authenticator = authenticator;
        this.maxBodySize = maxBodySize;
    }

    @Override
    public boolean handle(Request req, Response res, Callback callback) throws Exception {
        if (!takes(req)) {
            return super.handle(req, res, callback);
        }
        long started = System.nanoTime();
        JettyExchange ex = new JettyExchange(req, res);
        String ownId = RequestIds.choose(req.getHeaders().get("X-Request-Id"));
        ex.header("X-Request-Id", ownId);
        try {
            serve(req, ex, ownId);
        } catch (ApiException e) {
            refuse(req, ex, e);
        } catch (RuntimeException e) {
            refuse(req, ex, ErrorHandlers.unexpected(e, req.getMethod(), ex.path(), ownId));
        }
        ex.finish(callback, started);
        return true;
    }

    private boolean takes(Request req) {
        if (!"POST".equals(req.getMethod()) || req.getHeaders().contains(HttpHeader.ORIGIN)) {
            return false;
        }
        String path = Request.getPathInContext(req);
        return paths.contains(path) || path.length() > 1 && path.endsWith("/") && paths.contains(path.substring(0, path.length() - 1));
    }

    private void serve(Request req, JettyExchange ex, String ownId) {
        long length = req.getLength();
        if (length > maxBodySize) {
            throw tooLarge();
        }
        Principal principal = authenticator.authenticate(Access.USER, credential(req), ex::header);
        byte[] body;
        try {
            InputStream in = Request.asInputStream(req);
            body = length >= 0 ? in.readNBytes((int) length) : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodySize + 1));
        } catch (IOException e) {
            throw ApiException.badRequest("Request body could not be read: " + e.getMessage());
        }
        if (body.length > maxBodySize) {
            throw tooLarge();
        }
        routes.complete(ex, principal, ownId, body);
    }

    private ApiException tooLarge() {
        return ApiException.tooLarge("Request body too large: the limit is " + maxBodySize + " bytes");
    }

    private static String credential(Request req) {
        String cookie = null;
        if (req.getHeaders().contains(HttpHeader.COOKIE)) {
            for (HttpCookie c : Request.getCookies(req)) {
                if (c.getName().equals("token")) {
                    cookie = c.getValue();
                    break;
                }
            }
        }
        return Authenticator.credential(req.getHeaders().get(HttpHeader.AUTHORIZATION), cookie, req.getHeaders().get("x-api-key"));
    }

    private static void refuse(Request req, JettyExchange ex, ApiException e) {
        if (ex.committed()) {
            return; // a stream that already started reports its failure in the stream
        }
        if (e.status() == 413 && !"100-continue".equalsIgnoreCase(req.getHeaders().get(HttpHeader.EXPECT))) {
            ErrorHandlers.discard(Request.asInputStream(req));
        }
        e.headers().forEach(ex::header);
        ex.status(e.status());
        ex.contentType("application/json");
        ex.result(Json.MAPPER.writeValueAsBytes(Map.of("detail", e.detail())));
    }

    /** The exchange on Jetty's own request and response. */
    private static final class JettyExchange implements Exchange {
        private final Request req;
        private final Response res;
        private byte[] result;
        private OutputStream out;
        private boolean ended;

        JettyExchange(Request req, Response res) {
            this.req = req;
            this.res = res;
        }

        @Override
        public String path() {
            return req.getHttpURI().getPath();
        }

        @Override
        public String header(String name) {
            return req.getHeaders().get(name);
        }

        @Override
        public void forEachHeader(BiConsumer<String, String> action) {
            for (HttpField f : req.getHeaders()) {
                action.accept(f.getName(), f.getValue());
            }
        }

        @Override
        public void header(String name, String value) {
            res.getHeaders().put(name, value);
        }

        @Override
        public void status(int status) {
            res.setStatus(status);
        }

        @Override
        public void contentType(String type) {
            res.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        }

        @Override
        public void result(byte[] body) {
            result = body;
        }

        @Override
        public OutputStream output() {
            if (out == null) {
                out = Content.Sink.asOutputStream(res);
            }
            return out;
        }

        /** Written with the response's end: for a stream, the terminating chunk goes in the same write. */
        @Override
        public void end(byte[] b, int off, int len) throws IOException {
            output();
            ended = true;
            try (Blocker.Callback written = Blocker.callback()) {
                res.write(true, ByteBuffer.wrap(b, off, len), written);
                written.block();
            }
        }

        boolean committed() {
            return out != null || res.isCommitted();
        }

        /** Ends the response: the buffered result (with Server-Timing), or the end of a stream. */
        void finish(Callback callback, long started) {
            if (out != null) {
                try {
                    if (!ended) {
                        out.close();
                    }
                    callback.succeeded();
                } catch (IOException | RuntimeException clientGone) {
                    callback.failed(clientGone);
                }
                return;
            }
            byte[] body = result == null ? new byte[0] : result;
            res.getHeaders().put("Server-Timing", ServerTiming.since(started));
            res.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            res.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
