package verity.evaluation;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.feedback.FeedbackQuery;
import verity.feedback.FeedbackRow;
import verity.feedback.FeedbackService;
import verity.http.ApiException;
import verity.http.Json;
import verity.requestlog.RequestLogStore;

/**
 * Training datasets streamed from feedback as JSONL (mappings in docs/EVALUATION.md). Prompts and answers come
 * from the request log (dialect feedback) or the chat snapshot (Open WebUI ratings); feedback that should yield
 * a row but lacks either is skipped and counted: the {@code X-Skipped-Count} trailer, and with
 * {@code ?summary=true} a last line {@code {"summary": {"rows", "skipped"}}}.
 */
public final class DatasetExport {
    public enum Format {
        DPO_OPENAI("dpo-openai"), DPO_TRL("dpo-trl"), KTO("kto"), SFT("sft");

        final String name;

        Format(String name) {
            this.name = name;
        }

        static Format parse(String value) {
            return Arrays.stream(values()).filter(f -> f.name.equals(value)).findFirst()
                    .orElseThrow(() -> ApiException.notFound("Unknown dataset format '" + value + "'; use dpo-openai, dpo-trl, kto or sft"));
        }
    }

    private final FeedbackService feedback;
    private final RequestLogStore requests;

    public DatasetExport(FeedbackService feedback, RequestLogStore requests) {
        this.feedback = feedback;
        this.requests = requests;
    }

    public void write(Context ctx, String formatName) {
        Format format = Format.parse(formatName);
        FeedbackQuery query = FeedbackQuery.parse(ctx);
        boolean summary = "true".equalsIgnoreCase(ctx.queryParam("summary"));
        AtomicLong rows = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        ctx.contentType("application/x-ndjson");
        ctx.header("Content-Disposition", "attachment; filename=\"" + format.name + ".jsonl\"");
        ctx.header("Trailer", "X-Skipped-Count");
        try {
            ctx.res().setTrailerFields(() -> Map.of("X-Skipped-Count", Long.toString(skipped.get())));
        } catch (IllegalStateException unsupported) {
            // HTTP/1.0 clients get no trailer; ?summary=true still reports the count
        }
        // The servlet's own stream: Javalin's ctx.outputStream() wrapper does not pass flush() on.
        OutputStream out = rawOutput(ctx);
        feedback.forEachRow(query, f -> {
            for (ObjectNode row : rows(f, format, skipped)) {
                write(out, Json.write(row));
                rows.incrementAndGet();
            }
        });
        if (summary) {
            write(out, Json.write(Map.of("summary", Map.of("rows", rows.get(), "skipped", skipped.get()))));
        }
    }

    private static void write(OutputStream out, String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dataset rows one feedback yields; increments {@code skipped} when it should yield some but cannot. */
    List<ObjectNode> rows(FeedbackRow f, Format format, AtomicLong skipped) {
        JsonNode data = Json.readObject(f.data());
        Boolean thumbsUp = thumbs(data.get("rating"));
        String desired = data.path("desired_response").isString() ? data.get("desired_response").asString() : null;
        List<ObjectNode> out = new ArrayList<>();
        boolean applicable = switch (format) {
            case KTO -> thumbsUp != null;
            case SFT -> desired != null || Boolean.TRUE.equals(thumbsUp);
            case DPO_OPENAI, DPO_TRL -> desired != null || "preference".equals(f.type()) || "comparison".equals(f.type())
                    || thumbsUp != null && data.path("sibling_model_ids").isArray() && !data.get("sibling_model_ids").isEmpty();
        };
        if (!applicable) {
            return out;
        }
        switch (format) {
            case KTO -> {
                Conversation c = conversation(f);
                if (c != null) {
                    out.add(kto(c.prompt(), c.answer(), thumbsUp));
                }
            }
            case SFT -> {
                Conversation c = conversation(f);
                if (c != null) {
                    ArrayNode messages = c.prompt().deepCopy();
                    messages.addAll(Conversation.assistant(desired != null ? desired : c.answer()));
                    out.add(object("messages", messages));
                }
            }
            case DPO_OPENAI, DPO_TRL -> pairs(f, data, desired, thumbsUp).forEach(p -> out.add(dpo(format, p)));
        }
        if (out.isEmpty()) {
            skipped.incrementAndGet();
        }
        return out;
    }

    private record Pair(ArrayNode prompt, String chosen, String rejected) {}

    private List<Pair> pairs(FeedbackRow f, JsonNode data, String desired, Boolean thumbsUp) {
        List<Pair> pairs = new ArrayList<>();
        if ("preference".equals(f.type())) {
            return preferencePairs(data);
        }
        if ("comparison".equals(f.type())) {
            String winner = data.path("winner").asString("");
            JsonNode ids = data.path("request_ids");
            if ((winner.equals("a") || winner.equals("b")) && ids.size() >= 2) {
                Conversation a = Conversation.fromRequest(requests.find(ids.get(0).asString("")).orElse(null));
                Conversation b = Conversation.fromRequest(requests.find(ids.get(1).asString("")).orElse(null));
                if (a != null && b != null) {
                    pairs.add(winner.equals("a") ? new Pair(a.prompt(), a.answer(), b.answer()) : new Pair(a.prompt(), b.answer(), a.answer()));
                }
            }
            return pairs;
        }
        Conversation c = conversation(f);
        if (c == null) {
            return pairs;
        }
        if (desired != null) {
            pairs.add(new Pair(c.prompt(), desired, c.answer()));
        } else if (thumbsUp != null) {
            for (String sibling : c.siblingAnswers()) {
                pairs.add(thumbsUp ? new Pair(c.prompt(), c.answer(), sibling) : new Pair(c.prompt(), sibling, c.answer()));
            }
        }
        return pairs;
    }

    /** Every pair of generations with different ratings: the higher-rated one is chosen. */
    private List<Pair> preferencePairs(JsonNode data) {
        List<JsonNode> items = new ArrayList<>();
        data.path("ratings").forEach(items::add);
        ArrayNode prompt = data.path("prompt").isString() ? Conversation.userPrompt(data.get("prompt").asString()) : null;
        List<String> texts = new ArrayList<>();
        for (JsonNode item : items) {
            String text = item.path("generation").isString() ? item.get("generation").asString() : null;
            if (text == null || prompt == null) {
                Conversation c = Conversation.fromRequest(requests.find(item.path("request_id").asString("")).orElse(null));
                if (c != null) {
                    text = text != null ? text : c.answer();
                    prompt = prompt != null ? prompt : c.prompt();
                }
            }
            texts.add(text);
        }
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int j = 0; j < items.size(); j++) {
                double ri = items.get(i).path("rating").asDouble();
                double rj = items.get(j).path("rating").asDouble();
                if (ri > rj && texts.get(i) != null && texts.get(j) != null && prompt != null) {
                    pairs.add(new Pair(prompt, texts.get(i), texts.get(j)));
                }
            }
        }
        return pairs;
    }

    private Conversation conversation(FeedbackRow f) {
        if (f.requestId() != null) {
            return Conversation.fromRequest(requests.find(f.requestId()).orElse(null));
        }
        return Conversation.fromSnapshot(f.snapshot(), f.meta());
    }

    /** 1/-1 as numbers or strings; anything else is not a thumbs rating. */
    private static Boolean thumbs(JsonNode rating) {
        if (rating == null) {
            return null;
        }
        String s = rating.isNumber() ? (rating.asDouble() == 1 ? "1" : rating.asDouble() == -1 ? "-1" : "") : rating.asString("");
        return s.equals("1") ? Boolean.TRUE : s.equals("-1") ? Boolean.FALSE : null;
    }

    private static ObjectNode kto(ArrayNode prompt, String completion, boolean label) {
        ObjectNode row = Json.object();
        row.set("prompt", prompt);
        row.set("completion", Conversation.assistant(completion));
        row.put("label", label);
        return row;
    }

    private static ObjectNode dpo(Format format, Pair p) {
        ObjectNode row = Json.object();
        if (format == Format.DPO_OPENAI) {
            row.set("input", object("messages", p.prompt()));
            row.set("preferred_output", Conversation.assistant(p.chosen()));
            row.set("non_preferred_output", Conversation.assistant(p.rejected()));
        } else {
            row.set("prompt", p.prompt());
            row.set("chosen", Conversation.assistant(p.chosen()));
            row.set("rejected", Conversation.assistant(p.rejected()));
        }
        return row;
    }

    private static ObjectNode object(String name, JsonNode value) {
        ObjectNode o = Json.object();
        o.set(name, value);
        return o;
    }

    private static OutputStream rawOutput(Context ctx) {
        try {
            return ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
