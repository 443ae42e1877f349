package verity.files;

import java.util.Locale;

/** Client-given file names: what is shown, what the extension is, and the safe part of a storage key. */
public final class FileNames {
    private FileNames() {}

    /** The last path segment, without control characters, at most 255 characters; "file" when nothing is left. */
    public static String display(String raw) {
        String name = raw == null ? "" : raw;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1).replaceAll("\\p{Cntrl}", "").strip();
        if (name.equals(".") || name.equals("..") || name.isEmpty()) {
            name = "file";
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    /** Lower-case extension without the dot, or "" when there is none. */
    public static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 || dot == name.length() - 1 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** {@code <id>_<name>} with every character outside [A-Za-z0-9._-] replaced, at most 160 characters. */
    public static String storageKey(String id, String displayName) {
        String safe = displayName.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 120) {
            safe = safe.substring(safe.length() - 120);
        }
        return id + "_" + safe;
    }
}
