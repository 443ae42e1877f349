package verity.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BiConsumer;

/**
 * One completion request and its answer, whether it came through Javalin ({@link #of(Context)}) or straight from
 * Jetty ({@link CompletionHandler}): the few operations the relay needs, nothing of either framework.
 */
interface Exchange {
    /** Path as the client sent it. */
    String path();

    /** A request header, or null. */
    String header(String name);

    /** Every request header (name as sent, value). */
    void forEachHeader(BiConsumer<String, String> action);

    /** Sets a response header. */
    void header(String name, String value);

    void status(int status);

    void contentType(String type);

    /** The whole answer body; the exchange ends with it. */
    void result(byte[] body);

    /** The body as it is written: each write goes to the client at once, without buffering. */
    OutputStream output() throws IOException;

    /** The last bytes of a body written through {@link #output()}; nothing is written after them. */
    default void end(byte[] b, int off, int len) throws IOException {
        OutputStream out = output();
        out.write(b, off, len);
        out.flush();
    }

    static Exchange of(Context ctx) {
        return new Exchange() {
            @Override
            public String path() {
                return ctx.path();
            }

            @Override
            public String header(String name) {
                return ctx.header(name);
            }

            @Override
            public void forEachHeader(BiConsumer<String, String> action) {
                ctx.headerMap().forEach(action);
            }

            @Override
            public void header(String name, String value) {
                ctx.header(name, value);
            }

            @Override
            public void status(int status) {
                ctx.status(status);
            }

            @Override
            public void contentType(String type) {
                ctx.contentType(type);
            }

            @Override
            public void result(byte[] body) {
                ctx.result(body);
            }

            @Override
            public OutputStream output() throws IOException {
                return Relay.rawOutput(ctx);
            }
        };
    }
}
