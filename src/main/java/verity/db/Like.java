package verity.db;

import java.util.Locale;

/** Patterns for {@code LOWER(column) LIKE ? ESCAPE '\'}: user text never acts as a wildcard unless asked to. */
public final class Like {
    private Like() {}

    /** Matches values that contain {@code text}, ignoring case. */
    public static String contains(String text) {
        return "%" + escape(text.toLowerCase(Locale.ROOT)) + "%";
    }

    /** A shell-style glob ({@code *} any run, {@code ?} one character), ignoring case. */
    public static String glob(String pattern) {
        return escape(pattern.toLowerCase(Locale.ROOT)).replace('*', '%').replace('?', '_');
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
