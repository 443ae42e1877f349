package verity.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The outbound HTTP proxies for model servers, from the variables Open WebUI's HTTP client honours:
 * {@code http_proxy}/{@code HTTP_PROXY} for http URLs, {@code https_proxy}/{@code HTTPS_PROXY} for https URLs
 * (tunnelled with CONNECT), and {@code no_proxy}/{@code NO_PROXY} for hosts reached directly. The lower-case
 * name wins when both are set, and an empty value means none, as in Python's urllib.
 *
 * <p>{@code NO_PROXY} entries are host names or addresses, optionally with {@code :port}; a name also covers
 * its subdomains ({@code example.com} and {@code .example.com} both match {@code api.example.com}), and
 * {@code *} covers every host. Loopback hosts are always reached directly: no proxy can reach this machine's
 * own model servers.
 */
public record Proxies(Optional<Proxy> http, Optional<Proxy> https, List<String> noProxy) {
    public static final Proxies NONE = new Proxies(Optional.empty(), Optional.empty(), List.of());
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    /** A proxy server; {@code authorization} is the Proxy-Authorization value, or null without credentials. */
    public record Proxy(String host, int port, String authorization) {
        @Override
        public String toString() {
            return host + ":" + port; // never the credentials
        }
    }

    static Proxies fromEnv(Env env) {
        return new Proxies(proxy(env, "http_proxy"), proxy(env, "https_proxy"),
                variable(env, "no_proxy").map(v -> Arrays.stream(v.split(","))
                        .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList()).orElse(List.of()));
    }

    /** The proxy to reach {@code host:port} through, or null to connect directly. */
    public Proxy select(String host, int port, boolean tls) {
        Optional<Proxy> proxy = tls ? https : http;
        if (proxy.isEmpty() || direct(host.toLowerCase(Locale.ROOT), port)) {
            return null;
        }
        return proxy.get();
    }

    private boolean direct(String host, int port) {
        if (host.equals("localhost") || host.endsWith(".localhost") || LOOPBACK_V4.matcher(host).matches()
                || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String name = entry.startsWith(".") ? entry.substring(1) : entry;
            int colon = name.lastIndexOf(':');
            if (colon > 0 && name.indexOf(':') == colon && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                if (!name.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                name = name.substring(0, colon);
            }
            if (name.startsWith("[") && name.endsWith("]")) {
                name = name.substring(1, name.length() - 1);
            }
            if (!name.isEmpty() && (host.equals(name) || host.endsWith("." + name))) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case variable, else the upper-case one; an empty value counts as unset. */
    private static Optional<String> variable(Env env, String lower) {
        Optional<String> value = env.get(lower).isPresent() ? env.get(lower) : env.get(lower.toUpperCase(Locale.ROOT));
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<Proxy> proxy(Env env, String lower) {
        String name = env.get(lower).isPresent() ? lower : lower.toUpperCase(Locale.ROOT);
        return variable(env, lower).map(raw -> parse(name, raw));
    }

    private static Proxy parse(String name, String raw) {
        URI uri;
        try {
            uri = new URI(raw.contains("://") ? raw : "http://" + raw);
        } catch (URISyntaxException e) {
            throw new ConfigException(name, "not a proxy URL like http://proxy.example.com:3128 (" + e.getReason() + ")");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException(name, "only http:// proxies are supported, got " + uri.getScheme() + "://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(name, "no host in the proxy URL");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String auth = null;
        if (uri.getRawUserInfo() != null) {
            String userInfo = URLDecoder.decode(uri.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            auth = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
        return new Proxy(host, uri.getPort() >= 0 ? uri.getPort() : 80, auth);
    }
}
