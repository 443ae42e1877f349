package verity.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of environment variables; every bad value becomes a {@link ConfigException} naming the variable. */
public final class Env {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d|w)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?", Pattern.CASE_INSENSITIVE);

    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    /** The value, or empty when unset or blank. */
    public Optional<String> get(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public boolean bool(String name, boolean fallback) {
        return get(name).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name, "expected true or false, got '" + v + "'");
        }).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        return get(name).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "expected an integer, got '" + v + "'");
            }
        }).orElse(fallback);
    }

    /**
     * Open WebUI's duration syntax: units ms|s|m|h|d|w, combinable ("1d12h"); "-1" or "0" mean no expiry,
     * returned as empty.
     */
    public Optional<Duration> expiry(String name, String fallback) {
        String v = string(name, fallback).replace(" ", "");
        if (v.equals("-1") || v.equals("0")) {
            return Optional.empty();
        }
        Matcher m = DURATION_PART.matcher(v);
        double millis = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double amount = Double.parseDouble(m.group(1));
            millis += amount * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> 604_800_000;
            };
            end = m.end();
        }
        if (end == 0 || end != v.length() || millis < 1) {
            throw new ConfigException(name, "expected a duration such as 4w, 1d12h or 30m (or -1 for no expiry), got '" + v + "'");
        }
        return Optional.of(Duration.ofMillis((long) millis));
    }

    /** A byte size: plain bytes or with a k/m/g suffix (binary multiples). */
    public long size(String name, long fallback) {
        return get(name).map(v -> {
            Matcher m = SIZE.matcher(v);
            if (!m.matches()) {
                throw new ConfigException(name, "expected a size such as 1048576, 512k or 32m, got '" + v + "'");
            }
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT).substring(0, 1);
            long n = Long.parseLong(m.group(1));
            long bytes = switch (unit) {
                case "k" -> n << 10;
                case "m" -> n << 20;
                case "g" -> n << 30;
                default -> n;
            };
            if (bytes < 1024) {
                throw new ConfigException(name, "must be at least 1k, got '" + v + "'");
            }
            return bytes;
        }).orElse(fallback);
    }

    /** An http(s) URL, trailing '/' removed. */
    public String url(String name, String fallback) {
        return url(name, string(name, fallback).trim(), "expected an http(s) URL");
    }

    /** Checks one http(s) URL read from {@code name}; returns it without a trailing '/'. */
    static String url(String name, String value, String expected) {
        if (!value.matches("https?://[^\\s/]+(/.*)?")) {
            throw new ConfigException(name, expected + ", got '" + value + "'");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    public double decimal(String name, double fallback, double min, double max) {
        return get(name).map(v -> {
            try {
                double n = Double.parseDouble(v);
                if (!(n >= min && n <= max)) {
                    throw new ConfigException(name, "must be between " + min + " and " + max + ", got " + v);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new ConfigException(name, "expected a number, got '" + v + "'");
            }
        }).orElse(fallback);
    }
}
