package verity.gateway;

/** One configured model server: an OpenAI-compatible API or an Ollama server, addressed by its position. */
public record Connection(Kind kind, int index, String baseUrl, String apiKey) {
    public enum Kind { OPENAI, OLLAMA }

    /** How the connection is named in logs and the request log: "openai:0", "ollama:1". */
    public String label() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + index;
    }
}
