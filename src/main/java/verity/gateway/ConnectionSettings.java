package verity.gateway;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.config.Config;
import verity.http.Json;
import verity.settings.Settings;

/**
 * The model-server connections: initial values from the environment, admin changes persisted (Open WebUI's
 * {@code /openai/config} and {@code /ollama/config} shapes). A connection whose {@code *_API_CONFIGS} entry
 * says {@code "enable": false} is skipped.
 */
public final class ConnectionSettings {
    static final String OPENAI = "openai.connections";
    static final String OLLAMA = "ollama.connections";

    private final Settings settings;
    private final ObjectNode initialOpenAi;
    private final ObjectNode initialOllama;
    private volatile List<Connection> connections;

    public ConnectionSettings(Settings settings, Config.Upstreams initial) {
        this.settings = settings;
        this.initialOpenAi = Json.object();
        initialOpenAi.put("ENABLE_OPENAI_API", initial.enableOpenAi());
        initialOpenAi.set("OPENAI_API_BASE_URLS", strings(initial.openAiBaseUrls()));
        initialOpenAi.set("OPENAI_API_KEYS", strings(padded(initial.openAiKeys(), initial.openAiBaseUrls().size())));
        initialOpenAi.set("OPENAI_API_CONFIGS", Json.object());
        this.initialOllama = Json.object();
        initialOllama.put("ENABLE_OLLAMA_API", initial.enableOllama());
        initialOllama.set("OLLAMA_BASE_URLS", strings(initial.ollamaBaseUrls()));
        initialOllama.set("OLLAMA_API_CONFIGS", Json.object());
        reload();
    }

    public ObjectNode openAi() {
        return (ObjectNode) settings.getOr(OPENAI, initialOpenAi);
    }

    public ObjectNode ollama() {
        return (ObjectNode) settings.getOr(OLLAMA, initialOllama);
    }

    public List<Connection> connections() {
        return connections;
    }

    /** Saves a complete, validated OpenAI configuration; keys are padded or cut to the number of URLs. */
    public ObjectNode updateOpenAi(boolean enabled, List<String> urls, List<String> keys, ObjectNode configs) {
        ObjectNode c = Json.object();
        c.put("ENABLE_OPENAI_API", enabled);
        c.set("OPENAI_API_BASE_URLS", strings(urls));
        c.set("OPENAI_API_KEYS", strings(padded(keys, urls.size())));
        c.set("OPENAI_API_CONFIGS", configs == null ? Json.object() : configs);
        settings.put(OPENAI, c);
        reload();
        return c;
    }

    public ObjectNode updateOllama(boolean enabled, List<String> urls, ObjectNode configs) {
        ObjectNode c = Json.object();
        c.put("ENABLE_OLLAMA_API", enabled);
        c.set("OLLAMA_BASE_URLS", strings(urls));
        c.set("OLLAMA_API_CONFIGS", configs == null ? Json.object() : configs);
        settings.put(OLLAMA, c);
        reload();
        return c;
    }

    private void reload() {
        List<Connection> list = new ArrayList<>();
        ObjectNode openAi = openAi();
        if (openAi.path("ENABLE_OPENAI_API").asBoolean(true)) {
            JsonNode urls = openAi.path("OPENAI_API_BASE_URLS");
            for (int i = 0; i < urls.size(); i++) {
                if (enabled(openAi.path("OPENAI_API_CONFIGS"), i)) {
                    list.add(new Connection(Connection.Kind.OPENAI, i, urls.get(i).asString(),
                            openAi.path("OPENAI_API_KEYS").path(i).asString("")));
                }
            }
        }
        ObjectNode ollama = ollama();
        if (ollama.path("ENABLE_OLLAMA_API").asBoolean(true)) {
            JsonNode urls = ollama.path("OLLAMA_BASE_URLS");
            for (int i = 0; i < urls.size(); i++) {
                if (enabled(ollama.path("OLLAMA_API_CONFIGS"), i)) {
                    list.add(new Connection(Connection.Kind.OLLAMA, i, urls.get(i).asString(), null));
                }
            }
        }
        connections = List.copyOf(list);
    }

    private static boolean enabled(JsonNode configs, int index) {
        return configs.path(Integer.toString(index)).path("enable").asBoolean(true);
    }

    private static List<String> padded(List<String> keys, int size) {
        List<String> out = new ArrayList<>(keys.subList(0, Math.min(keys.size(), size)));
        while (out.size() < size) {
            out.add("");
        }
        return out;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
