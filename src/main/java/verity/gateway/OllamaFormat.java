package verity.gateway;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/** Translation between OpenAI chat completions and Ollama's /api/chat. */
final class OllamaFormat {
    /** OpenAI sampling fields and their Ollama option names. */
    private static final Map<String, String> OPTIONS = Map.of("temperature", "temperature", "top_p", "top_p",
            "max_tokens", "num_predict", "seed", "seed", "stop", "stop", "frequency_penalty", "frequency_penalty",
            "presence_penalty", "presence_penalty", "top_k", "top_k", "min_p", "min_p", "repeat_penalty", "repeat_penalty");

    private OllamaFormat() {}

    static ObjectNode request(ObjectNode openAi, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", openAi.path("model").asString());
        ArrayNode messages = body.putArray("messages");
        for (JsonNode m : openAi.path("messages")) {
            messages.add(message(m));
        }
        body.put("stream", stream);
        ObjectNode options = Json.object();
        OPTIONS.forEach((from, to) -> {
            if (openAi.has(from) && !openAi.get(from).isNull()) {
                options.set(to, openAi.get(from));
            }
        });
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        if ("json_object".equals(openAi.path("response_format").path("type").asString(""))) {
            body.put("format", "json");
        }
        if (openAi.has("tools")) {
            body.set("tools", openAi.get("tools"));
        }
        return body;
    }

    /** OpenAI content parts become Ollama's text plus base64 images. */
    private static ObjectNode message(JsonNode m) {
        ObjectNode out = Json.object();
        out.put("role", m.path("role").asString("user"));
        JsonNode content = m.path("content");
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            ArrayNode images = Json.MAPPER.createArrayNode();
            for (JsonNode part : content) {
                if ("image_url".equals(part.path("type").asString(""))) {
                    String url = part.path("image_url").path("url").asString("");
                    int comma = url.indexOf(',');
                    if (url.startsWith("data:") && comma > 0) {
                        images.add(url.substring(comma + 1));
                    }
                } else if (part.path("text").isString()) {
                    text.append(text.isEmpty() ? "" : "\n").append(part.get("text").asString());
                }
            }
            out.put("content", text.toString());
            if (!images.isEmpty()) {
                out.set("images", images);
            }
        } else {
            out.put("content", content.isNull() || content.isMissingNode() ? "" : content.asString(content.toString()));
        }
        if (m.has("tool_calls")) {
            out.set("tool_calls", m.get("tool_calls"));
        }
        return out;
    }

    static ObjectNode chunk(String id, String model, long created, JsonNode delta, String finishReason) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return c;
    }

    static ObjectNode completion(String id, String model, long created, String content, String finishReason,
                                 Integer promptTokens, Integer completionTokens) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion");
        c.put("created", created);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        choice.put("finish_reason", finishReason);
        c.set("usage", usage(promptTokens, completionTokens));
        return c;
    }

    static ObjectNode usage(Integer promptTokens, Integer completionTokens) {
        ObjectNode u = Json.object();
        int p = promptTokens == null ? 0 : promptTokens;
        int c = completionTokens == null ? 0 : completionTokens;
        u.put("prompt_tokens", p);
        u.put("completion_tokens", c);
        u.put("total_tokens", p + c);
        return u;
    }

    static Integer intOrNull(JsonNode n) {
        return n != null && n.isIntegralNumber() ? n.asInt() : null;
    }
}
