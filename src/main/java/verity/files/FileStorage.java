package verity.files;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where uploaded bytes live. Keys are chosen by Verity (never by a client) and are safe file names; the local
 * implementation keeps them under {@code DATA_DIR/uploads}, an S3-compatible one can map them to object keys.
 */
public interface FileStorage {

    /** Size and SHA-256 (hex) of what was stored. */
    record Stored(long size, String sha256) {}

    /** Thrown when the stream holds more than the allowed bytes; nothing is kept. */
    final class TooLarge extends IOException {
        public TooLarge(long limit) {
            super("more than " + limit + " bytes");
        }
    }

    /** Stores the stream under {@code key}, all or nothing. */
    Stored put(String key, InputStream in, long maxBytes) throws IOException;

    InputStream open(String key) throws IOException;

    /** Removes the object; a missing object is not an error. */
    void delete(String key) throws IOException;
}
