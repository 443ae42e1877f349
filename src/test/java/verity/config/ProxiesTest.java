package verity.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxiesTest {
    private static Proxies of(Map<String, String> vars) {
        return Config.fromEnv(vars).proxies();
    }

    @Test
    void no_variables_means_direct_connections() {
        Proxies p = of(Map.of());
        assertNull(p.select("api.openai.com", 443, true));
        assertNull(p.select("ollama.internal", 11434, false));
    }

    @Test
    void http_and_https_urls_take_their_own_proxy_and_the_lower_case_name_wins() {
        Proxies p = of(Map.of("HTTP_PROXY", "http://upper:1", "http_proxy", "http://lower:2", "HTTPS_PROXY", "squid.corp:3128"));
        assertEquals(new Proxies.Proxy("lower", 2, null), p.select("ollama.internal", 11434, false));
        assertEquals(new Proxies.Proxy("squid.corp", 3128, null), p.select("api.openai.com", 443, true));
        assertEquals(80, of(Map.of("HTTP_PROXY", "http://proxy")).select("h", 80, false).port());
        assertNull(of(Map.of("HTTPS_PROXY", "http://p:1")).select("h", 80, false), "an http URL does not use the https proxy");
    }

    @Test
    void credentials_become_a_basic_proxy_authorization_and_are_never_printed() {
        Proxies.Proxy p = of(Map.of("HTTPS_PROXY", "http://ada:s%40cret@proxy:8080")).select("api.openai.com", 443, true);
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("ada:s@cret".getBytes()), p.authorization());
        assertEquals("proxy:8080", p.toString());
    }

    @Test
    void no_proxy_names_hosts_their_subdomains_ports_and_everything() {
        Proxies p = of(Map.of("HTTPS_PROXY", "http://p:1", "NO_PROXY", "internal.corp, .example.com,10.1.2.3,models.lan:8443"));
        assertNull(p.select("internal.corp", 443, true));
        assertNull(p.select("gpu.internal.corp", 443, true));
        assertNull(p.select("example.com", 443, true));
        assertNull(p.select("API.Example.com", 443, true));
        assertNull(p.select("10.1.2.3", 443, true));
        assertNull(p.select("models.lan", 8443, true));
        assertEquals("p", p.select("models.lan", 443, true).host(), "another port of a host:port entry");
        assertEquals("p", p.select("notexample.com", 443, true).host(), "a suffix is matched at a dot only");
        assertEquals("p", p.select("api.openai.com", 443, true).host());
        assertNull(of(Map.of("HTTPS_PROXY", "http://p:1", "no_proxy", "*")).select("api.openai.com", 443, true));
    }

    @Test
    void loopback_hosts_are_always_direct() {
        Proxies p = of(Map.of("HTTP_PROXY", "http://p:1"));
        assertNull(p.select("localhost", 11434, false));
        assertNull(p.select("127.0.0.1", 11434, false));
        assertNull(p.select("::1", 11434, false));
        assertTrue(p.select("ollama", 11434, false) != null);
        assertTrue(p.select("127.example.com", 11434, false) != null, "a name is not an address");
        assertNull(p.select("127.1.2.3", 11434, false));
    }

    @Test
    void a_bad_proxy_stops_start_up_naming_the_variable() {
        ConfigException e = assertThrows(ConfigException.class, () -> of(Map.of("HTTPS_PROXY", "socks5://p:1080")));
        assertTrue(e.getMessage().contains("HTTPS_PROXY") && e.getMessage().contains("http://"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> of(Map.of("http_proxy", "http://bad host:1")));
        assertTrue(e.getMessage().contains("http_proxy"), e.getMessage());
    }
}
