package verity.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/**
 * A prompt (the messages before an answer) and the answer, recovered from a logged request or from the chat
 * snapshot Open WebUI stores with a rating; empty when the source does not hold both.
 */
record Conversation(ArrayNode prompt, String answer, List<String> siblingAnswers) {

    /** From a request-log row: the request's messages and the assistant's reply. */
    static Conversation fromRequest(Map<String, Object> request) {
        if (request == null || !(request.get("request_body") instanceof JsonNode body)
                || !(request.get("response_body") instanceof JsonNode response)) {
            return null;
        }
        JsonNode messages = body.path("messages");
        String answer = response.path("choices").path(0).path("message").path("content").asString(null);
        if (!messages.isArray() || messages.isEmpty() || answer == null) {
            return null;
        }
        return new Conversation(plain(messages), answer, List.of());
    }

    /** From an Open WebUI snapshot: the rated message, its ancestors as the prompt, and its siblings' answers. */
    static Conversation fromSnapshot(String snapshot, String meta) {
        if (snapshot == null || meta == null) {
            return null;
        }
        String messageId = Json.readObject(meta).path("message_id").asString(null);
        JsonNode history = Json.readObject(snapshot).path("chat").path("history").path("messages");
        JsonNode rated = messageId == null ? null : history.get(messageId);
        if (rated == null || !rated.path("content").isString()) {
            return null;
        }
        List<JsonNode> chain = new ArrayList<>();
        String parent = rated.path("parentId").asString(null);
        for (int guard = 0; parent != null && history.has(parent) && guard < 10_000; guard++) {
            chain.addFirst(history.get(parent));
            parent = history.get(parent).path("parentId").asString(null);
        }
        if (chain.isEmpty()) {
            return null;
        }
        List<String> siblings = new ArrayList<>();
        for (JsonNode child : chain.getLast().path("childrenIds")) {
            JsonNode sibling = history.get(child.asString(""));
            if (!child.asString("").equals(messageId) && sibling != null && sibling.path("content").isString()) {
                siblings.add(sibling.get("content").asString());
            }
        }
        ArrayNode prompt = Json.MAPPER.createArrayNode();
        chain.forEach(prompt::add);
        return new Conversation(plain(prompt), rated.get("content").asString(), siblings);
    }

    /** Messages reduced to role and content. */
    private static ArrayNode plain(JsonNode messages) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode m : messages) {
            ObjectNode msg = out.addObject();
            msg.put("role", m.path("role").asString("user"));
            msg.set("content", m.path("content").isMissingNode() ? Json.MAPPER.getNodeFactory().stringNode("") : m.get("content"));
        }
        return out;
    }

    static ArrayNode assistant(String content) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        ObjectNode msg = out.addObject();
        msg.put("role", "assistant");
        msg.put("content", content);
        return out;
    }

    static ArrayNode userPrompt(String text) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        ObjectNode msg = out.addObject();
        msg.put("role", "user");
        msg.put("content", text);
        return out;
    }
}
