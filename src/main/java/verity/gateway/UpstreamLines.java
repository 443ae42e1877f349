package verity.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of a streamed upstream answer (SSE or NDJSON) as bytes, ended by LF, CRLF or a lone CR. Before a read
 * that would wait for the model server, {@code beforeWait} runs: the relay flushes there, so what the client has
 * been sent so far goes out exactly when no more of the answer is at hand, and a burst of events becomes one write.
 * When the answer's end is already buffered there is no wait, and the rest goes out with the end of the response.
 */
final class UpstreamLines {
    /** Called before a read that may block. */
    interface BeforeWait {
        void run() throws IOException;
    }

    private static final int MAX_LINE = 64 << 20;

    private final InputStream in;
    private final BeforeWait beforeWait;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private int lineStart;
    private int lineEnd;
    private boolean skipLf;

    UpstreamLines(InputStream in, BeforeWait beforeWait) {
        this.in = in;
        this.beforeWait = beforeWait;
    }

    /** Advances to the next line; false at the end of the answer (a last line without an ending is returned). */
    boolean next() throws IOException {
        int scan = start;
        while (true) {
            if (skipLf && scan < end) {
                skipLf = false;
                if (buf[scan] == '\n') {
                    scan++;
                    start = scan;
                }
            }
            for (int i = scan; i < end; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    lineStart = start;
                    lineEnd = i;
                    start = i + 1;
                    if (b == '\r') {
                        if (start < end) {
                            if (buf[start] == '\n') {
                                start++;
                            }
                        } else {
                            skipLf = true; // a LF may follow in the next read
                        }
                    }
                    return true;
                }
            }
            scan = end;
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                scan -= start;
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                if (buf.length >= MAX_LINE) {
                    throw new IOException("line longer than " + MAX_LINE + " bytes from the model server");
                }
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            if (in.available() <= 0 && !(in instanceof ModelHttp.Body b && b.endBuffered())) {
                beforeWait.run();
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                if (end > start) {
                    lineStart = start;
                    lineEnd = end;
                    start = end;
                    return true;
                }
                return false;
            }
            end += n;
        }
    }

    byte[] buffer() {
        return buf;
    }

    int lineStart() {
        return lineStart;
    }

    int lineLength() {
        return lineEnd - lineStart;
    }

    boolean isEmpty() {
        return lineEnd == lineStart;
    }

    boolean startsWith(byte[] prefix) {
        if (lineEnd - lineStart < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[lineStart + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    boolean isBlank() {
        for (int i = lineStart; i < lineEnd; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    String text() {
        return new String(buf, lineStart, lineEnd - lineStart, StandardCharsets.UTF_8);
    }
}
