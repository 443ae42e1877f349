package verity.http;

import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/** Every response carries X-Request-Id: the caller's own when it is a sane token, otherwise a new uuid. */
public final class RequestIds {
    private static final String ATTRIBUTE = "verity.requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    public static void assign(Context ctx) {
        String id = choose(ctx.header("X-Request-Id"));
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("X-Request-Id", id);
    }

    /** The caller's X-Request-Id when it is a sane token, else a new UUID. */
    public static String choose(String given) {
        return given != null && SAFE.matcher(given).matches() ? given : randomUuid();
    }

    /**
     * A version-4 UUID from a fast non-cryptographic generator: request ids only need to be unique, and
     * UUID.randomUUID() draws from SecureRandom on every request.
     */
    public static String randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    public static String of(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "-" : id;
    }
}
