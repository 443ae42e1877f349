package verity.http;

import io.javalin.http.Context;

/**
 * {@code Server-Timing: app;dur=<ms>} on every buffered response: the time from the first byte of the request
 * being handled to the response being ready, without network time (streamed responses have sent their headers
 * before the end is known, so they carry none).
 */
public final class ServerTiming {
    private static final String ATTRIBUTE = "verity.started";

    private ServerTiming() {}

    public static void start(Context ctx) {
        ctx.attribute(ATTRIBUTE, System.nanoTime());
    }

    public static void finish(Context ctx) {
        Long started = ctx.attribute(ATTRIBUTE);
        if (started != null && !ctx.res().isCommitted()) {
            ctx.header("Server-Timing", since(started));
        }
    }

    /** The header's value for a response whose handling started at {@code startedNanos} ({@link System#nanoTime}). */
    public static String since(long startedNanos) {
        long micros = (System.nanoTime() - startedNanos) / 1_000;
        return "app;dur=" + micros / 1000 + "." + (char) ('0' + micros / 100 % 10) + (char) ('0' + micros / 10 % 10);
    }
}
