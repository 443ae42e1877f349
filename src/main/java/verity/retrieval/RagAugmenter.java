package verity.retrieval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.config.Rag;
import verity.gateway.RequestAugmenter;
import verity.http.ApiException;
import verity.http.Json;
import verity.users.User;

/**
 * Retrieval for chat completions: a request's {@code files} ({@code {type:"file", id}}, {@code {type:"collection",
 * id}}, {@code {type:"text", content}}; {@code context:"full"} injects whole texts) becomes context for the last
 * user message, which is searched, and the context is prepended to that message through the RAG template.
 * {@code files} is not relayed; what was used comes back as {@code sources}.
 */
public final class RagAugmenter implements RequestAugmenter {
    static final String DEFAULT_TEMPLATE = """
            Use the context below to answer the user's request. When you use a source that has an id, cite it \
            inline as [id]. If the context does not hold the answer, say so; do not invent facts about the \
            documents. Answer in the language of the request.

            <context>
            {{CONTEXT}}
            </context>""";
    private static final int MAX_FILES = 100;

    private final RetrievalService retrieval;

    public RagAugmenter(RetrievalService retrieval) {
        this.retrieval = retrieval;
    }

    static String template(Rag rag) {
        return rag.template().orElse(DEFAULT_TEMPLATE);
    }

    @Override
    public Augmented augment(User user, ObjectNode request) {
        JsonNode items = request.get("files");
        if (items == null) {
            return new Augmented(request, Map.of());
        }
        if (items.isNull()) {
            ObjectNode relayed = request.deepCopy();
            relayed.remove("files");
            return new Augmented(relayed, Map.of());
        }
        if (!items.isArray() || items.size() > MAX_FILES) {
            throw ApiException.invalid("files", "Input should be a list of at most " + MAX_FILES + " items", "list_type");
        }
        ObjectNode relayed = request.deepCopy();
        relayed.remove("files");
        int last = lastUserMessage(relayed.path("messages"));
        String query = last < 0 ? "" : text(relayed.path("messages").get(last).get("content"));

        List<String> searchFiles = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        Set<String> knowledgeIds = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String type = item.path("type").asString("");
            boolean full = "full".equals(item.path("context").asString(""));
            switch (type) {
                case "file" -> {
                    String id = requireId(item, i);
                    List<String> scope = retrieval.scope(user, List.of(), List.of(id));
                    if (full) {
                        sources.addAll(fullText(user, scope));
                    } else {
                        searchFiles.addAll(scope);
                    }
                }
                case "collection" -> {
                    String id = requireId(item, i);
                    List<String> scope = retrieval.scope(user, List.of(id), List.of());
                    knowledgeIds.add(id);
                    if (full) {
                        sources.addAll(fullText(user, scope));
                    } else {
                        searchFiles.addAll(scope);
                    }
                }
                case "text" -> {
                    String content = item.path("content").asString("");
                    if (!content.isBlank()) {
                        sources.add(new Source(null, item.path("name").asString("text"), List.of(content), List.of(Map.of()), List.of(1.0)));
                    }
                }
                default -> { } // web search, notes and the like are not handled here
            }
        }
        if (!searchFiles.isEmpty() && !query.isBlank()) {
            sources.addAll(group(retrieval.search(query, List.copyOf(new LinkedHashSet<>(searchFiles)),
                    retrieval.settings().topK(), null, null)));
        }
        if (sources.isEmpty() || last < 0) {
            return new Augmented(relayed, sources.isEmpty() ? Map.of() : Map.of("sources", views(sources)));
        }
        String context = context(sources);
        String prompt = template(retrieval.settings())
                .replace("{{CONTEXT}}", context).replace("[context]", context)
                .replace("{{QUERY}}", query).replace("[query]", query);
        prepend((ObjectNode) relayed.path("messages").get(last), prompt);
        return new Augmented(relayed, Map.of("sources", views(sources)));
    }

    /** One source per file: its chunks, their metadata and scores. */
    private record Source(String fileId, String name, List<String> documents, List<Map<String, Object>> metadata,
                          List<Double> scores) {}

    private List<Source> group(List<ChunkIndex.Hit> hits) {
        Map<String, List<ChunkIndex.Hit>> byFile = new LinkedHashMap<>();
        for (ChunkIndex.Hit h : hits) {
            byFile.computeIfAbsent(h.fileId(), k -> new ArrayList<>()).add(h);
        }
        List<Source> sources = new ArrayList<>();
        byFile.forEach((fileId, fileHits) -> sources.add(new Source(fileId, fileHits.getFirst().filename(),
                fileHits.stream().map(ChunkIndex.Hit::text).toList(),
                fileHits.stream().map(RetrievalRoutes::metadata).toList(),
                fileHits.stream().map(ChunkIndex.Hit::score).toList())));
        return sources;
    }

    private List<Source> fullText(User user, List<String> fileIds) {
        List<Source> sources = new ArrayList<>();
        for (RetrievalService.Processed p : retrieval.texts(user, fileIds)) {
            String name = p.file().filename();
            if (p.content() != null && !p.content().isBlank()) {
                sources.add(new Source(p.file().id(), name, List.of(p.content()),
                        List.of(Map.of("file_id", p.file().id(), "name", name, "source", name)), List.of(1.0)));
            }
        }
        return sources;
    }

    /** {@code <source id="n" name="...">text</source>} per chunk, numbered across all sources. */
    private static String context(List<Source> sources) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (Source s : sources) {
            for (String document : s.documents()) {
                n++;
                out.append("<source id=\"").append(n).append("\" name=\"").append(escape(s.name())).append("\">")
                        .append(document).append("</source>\n");
            }
        }
        return out.toString().strip();
    }

    private static String escape(String name) {
        return name.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /** Open WebUI's sources shape: {source:{id,name,type}, document:[...], metadata:[...], distances:[...]}. */
    private static List<Map<String, Object>> views(List<Source> sources) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Source s : sources) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("id", s.fileId());
            source.put("name", s.name());
            source.put("type", s.fileId() == null ? "text" : "file");
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("source", source);
            view.put("document", s.documents());
            view.put("metadata", s.metadata());
            view.put("distances", s.scores());
            out.add(view);
        }
        return out;
    }

    private static String requireId(JsonNode item, int i) {
        String id = item.path("id").asString("");
        if (id.isBlank() || id.length() > 64) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(List.of("body", "files", Integer.toString(i), "id"),
                    "Field required", "missing")));
        }
        return id;
    }

    private static int lastUserMessage(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).path("role").asString("")) && messages.get(i) instanceof ObjectNode) {
                return i;
            }
        }
        return -1;
    }

    /** A message's text: a string, or the text parts of a content array. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isString()) {
            return content.asString();
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString(""))) {
                out.append(out.isEmpty() ? "" : "\n").append(part.path("text").asString(""));
            }
        }
        return out.toString();
    }

    private static void prepend(ObjectNode message, String prompt) {
        JsonNode content = message.get("content");
        if (content instanceof ArrayNode parts) {
            ObjectNode part = Json.object();
            part.put("type", "text");
            part.put("text", prompt);
            parts.insert(0, part);
        } else {
            message.put("content", prompt + "\n\n" + (content == null || content.isNull() ? "" : content.asString()));
        }
    }
}
