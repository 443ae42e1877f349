package verity.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes SSE to the client, flushing each event as soon as it is complete; a failed write means the client left. */
final class Relay {
    static final class ClientGone extends IOException {
        ClientGone(Throwable cause) {
            super("client disconnected", cause);
        }
    }

    private final OutputStream out;

    Relay(Context ctx) throws ClientGone {
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        this.out = rawOutput(ctx);
    }

    /**
     * The servlet's own output stream. Javalin's {@code ctx.outputStream()} wrapper does not pass {@code flush()}
     * on, so everything written through it waits in Jetty's buffer until the response ends.
     */
    static OutputStream rawOutput(Context ctx) throws ClientGone {
        try {
            return ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** Tells the client the stream failed ({@code data: {"error": {"message"}}}); a client already gone is ignored. */
    void error(String message) {
        try {
            event("data: " + verity.http.Json.write(java.util.Map.of("error", java.util.Map.of("message", message))));
        } catch (ClientGone ignored) {
            // nobody left to tell
        }
    }

    /** One complete SSE line ("data: ..."), followed by the blank line that ends the event. */
    void event(String dataLine) throws ClientGone {
        write(dataLine + "\n\n");
    }

    /** A raw line from an upstream SSE stream; the blank line flushes. */
    void line(String line) throws ClientGone {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            if (line.isEmpty()) {
                out.flush();
            }
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private void write(String s) throws ClientGone {
        try {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}
