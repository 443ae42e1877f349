package verity.users;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses are validated and stored lower-cased, so sign-in is case-insensitive. */
public final class Emails {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s.]+(\\.[^@\\s.]+)+");

    private Emails() {}

    public static String normalize(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    public static boolean valid(String normalized) {
        return normalized.length() <= 320 && SHAPE.matcher(normalized).matches();
    }
}
