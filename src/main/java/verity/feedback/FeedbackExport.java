package verity.feedback;

import io.javalin.http.Context;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JsonGenerator;
import verity.http.ApiException;
import verity.http.Json;

/**
 * Streams feedback straight from the database cursor to the response, one row at a time, so memory stays
 * constant whatever the row count. Stored JSON (data, meta, snapshot) is copied as text, never re-parsed.
 */
final class FeedbackExport {
    enum Format { JSON, JSONL, CSV }

    /** What each exported row carries. */
    enum Shape { FULL, LIST, IDS }

    private static final List<String> CSV_COLUMNS = List.of("id", "user_id", "user_name", "user_email", "type",
            "model_id", "rating", "version", "created_at", "updated_at", "data", "meta");

    private final FeedbackStore store;

    FeedbackExport(FeedbackStore store) {
        this.store = store;
    }

    static Format format(Context ctx) {
        String value = ctx.queryParam("format");
        if (value == null || value.isBlank()) {
            return Format.JSON;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "jsonl", "ndjson" -> Format.JSONL;
            case "csv" -> Format.CSV;
            default -> throw ApiException.invalidQuery("format", "Input should be 'json', 'jsonl' or 'csv'", "enum");
        };
    }

    void write(Context ctx, FeedbackQuery query, Format format, Shape shape) {
        ctx.contentType(switch (format) {
            case JSON -> "application/json";
            case JSONL -> "application/x-ndjson";
            case CSV -> "text/csv; charset=utf-8";
        });
        if (format != Format.JSON) {
            ctx.header("Content-Disposition", "attachment; filename=\"feedback." + format.name().toLowerCase(Locale.ROOT) + "\"");
        }
        // The servlet's own stream: Javalin's ctx.outputStream() wrapper does not pass flush() on.
        OutputStream out = rawOutput(ctx);
        try {
            if (format == Format.CSV) {
                writeCsv(out, query);
            } else {
                writeJson(out, query, format, shape);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeJson(OutputStream out, FeedbackQuery query, Format format, Shape shape) throws IOException {
        try (JsonGenerator gen = Json.MAPPER.createGenerator(out)) {
            if (format == Format.JSON) {
                gen.writeStartArray();
            }
            store.forEach(query, shape == Shape.FULL, rs -> {
                writeRow(gen, rs, shape);
                if (format == Format.JSONL) {
                    gen.writeRaw('\n');
                }
            });
            if (format == Format.JSON) {
                gen.writeEndArray();
            }
        }
    }

    private static void writeRow(JsonGenerator gen, ResultSet rs, Shape shape) throws SQLException {
        gen.writeStartObject();
        gen.writeStringProperty("id", rs.getString("id"));
        gen.writeStringProperty("user_id", rs.getString("user_id"));
        if (shape != Shape.IDS) {
            gen.writeNumberProperty("version", rs.getLong("version"));
            gen.writeStringProperty("type", rs.getString("type"));
            raw(gen, "data", rs.getString("data"));
            raw(gen, "meta", rs.getString("meta"));
            if (shape == Shape.FULL) {
                raw(gen, "snapshot", rs.getString("snapshot"));
            }
        }
        gen.writeNumberProperty("created_at", rs.getLong("created_at"));
        gen.writeNumberProperty("updated_at", rs.getLong("updated_at"));
        if (shape == Shape.LIST) {
            gen.writeName("user");
            gen.writeStartObject();
            gen.writeStringProperty("id", rs.getString("user_id"));
            gen.writeStringProperty("name", rs.getString("u_name"));
            gen.writeStringProperty("email", rs.getString("u_email"));
            gen.writeStringProperty("role", rs.getString("u_role"));
            gen.writeNumberProperty("last_active_at", rs.getLong("u_active"));
            gen.writeNumberProperty("updated_at", rs.getLong("u_updated"));
            gen.writeNumberProperty("created_at", rs.getLong("u_created"));
            gen.writeEndObject();
        }
        gen.writeEndObject();
    }

    private static void raw(JsonGenerator gen, String name, String json) {
        gen.writeName(name);
        if (json == null) {
            gen.writeNull();
        } else {
            gen.writeRawValue(json);
        }
    }

    private void writeCsv(OutputStream out, FeedbackQuery query) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(String.join(",", CSV_COLUMNS));
        w.write("\r\n");
        store.forEach(query, false, rs -> {
            try {
                String[] values = {rs.getString("id"), rs.getString("user_id"), rs.getString("u_name"),
                        rs.getString("u_email"), rs.getString("type"), rs.getString("model_id"), rs.getString("rating"),
                        Long.toString(rs.getLong("version")), Long.toString(rs.getLong("created_at")),
                        Long.toString(rs.getLong("updated_at")), rs.getString("data"), rs.getString("meta")};
                for (int i = 0; i < values.length; i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    w.write(csvField(values[i]));
                }
                w.write("\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        w.flush();
    }

    /** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
    static String csvField(String value) {
        if (value == null) {
            return "";
        }
        String v = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 && !value.matches("-?\\d+(\\.\\d+)?") ? "'" + value : value;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    private static OutputStream rawOutput(Context ctx) {
        try {
            return ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
