package verity.gateway;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes SSE to the client. Events relayed from a model server are written as they are read and flushed before
 * the relay would wait for more ({@link #flush()}, called by {@link UpstreamLines}); events of its own
 * ({@link #event}) are flushed at once. A failed write means the client left.
 */
final class Relay {
    static final class ClientGone extends IOException {
        ClientGone(Throwable cause) {
            super("client disconnected", cause);
        }
    }

    private final Exchange ex;
    private final OutputStream out;
    /** Written since the last flush, handed to Jetty in one write. */
    private byte[] pending = new byte[8192];
    private int size;
    /** An answer that keeps coming without pause is still passed on in pieces of about this size. */
    private static final int FLUSH_AT = 16 << 10;

    Relay(Exchange ex) throws ClientGone {
        ex.status(200);
        ex.contentType("text/event-stream; charset=utf-8");
        ex.header("Cache-Control", "no-cache");
        ex.header("X-Accel-Buffering", "no");
        this.ex = ex;
        try {
            this.out = ex.output();
        } catch (ClientGone e) {
            throw e;
        } catch (IOException e) {
            throw new ClientGone(e);
        }
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

    /** One complete SSE line ("data: ..."), followed by the blank line that ends the event; flushed. */
    void event(String dataLine) throws ClientGone {
        queue(dataLine);
        flush();
    }

    /** Like {@link #event} but left for the next {@link #flush()}. */
    void queue(String dataLine) {
        write((dataLine + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A raw line from an upstream SSE stream (without its line ending), sent on at the next {@link #flush()}. */
    void line(byte[] b, int off, int len) throws ClientGone {
        ensure(len + 1);
        System.arraycopy(b, off, pending, size, len);
        size += len;
        pending[size++] = '\n';
        if (size >= FLUSH_AT) {
            flush();
        }
    }

    private void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, pending, size, b.length);
        size += b.length;
    }

    private void ensure(int more) {
        if (size + more > pending.length) {
            pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, size + more));
        }
    }

    /** Sends what is left together with the end of the response (one write where the server allows it). */
    void finish() throws ClientGone {
        int n = size;
        size = 0;
        try {
            ex.end(pending, 0, n);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    /** Sends what was written since the last flush, if anything. */
    void flush() throws ClientGone {
        if (size == 0) {
            return;
        }
        int n = size;
        size = 0;
        try {
            out.write(pending, 0, n);
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
        if (pending.length > 64 << 10) {
            pending = new byte[8192];
        }
    }
}
