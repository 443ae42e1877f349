package verity.auth;

import io.javalin.http.Context;
import java.time.Clock;

/** The {@code token} cookie set at sign-in: HttpOnly, SameSite per WEBUI_AUTH_COOKIE_SAME_SITE (lax). */
public final class SessionCookie {
    private final boolean secure;
    private final String sameSite;
    private final Clock clock;

    public SessionCookie(boolean secure, String sameSite, Clock clock) {
        this.secure = secure;
        this.sameSite = Character.toUpperCase(sameSite.charAt(0)) + sameSite.substring(1);
        this.clock = clock;
    }

    void set(Context ctx, Tokens.Issued token) {
        String maxAge = token.expiresAt() == null ? ""
                : "; Max-Age=" + Math.max(0, token.expiresAt() - clock.instant().getEpochSecond());
        ctx.header("Set-Cookie", "token=" + token.token() + "; Path=/" + maxAge + attributes());
    }

    void clear(Context ctx) {
        ctx.header("Set-Cookie", "token=; Path=/; Max-Age=0" + attributes());
    }

    private String attributes() {
        return "; HttpOnly; SameSite=" + sameSite + (secure ? "; Secure" : "");
    }
}
