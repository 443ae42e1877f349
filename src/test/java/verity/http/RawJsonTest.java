package verity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Raw JSON fields: exact byte slices from one pass, strict UTF-8, and objects written back from slices. */
class RawJsonTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RawObject parse(String json, String open) {
        byte[] b = utf8(json);
        return RawJson.parse(b, 0, b.length, open);
    }

    private static Map<String, String> texts(RawObject o) {
        Map<String, String> out = new LinkedHashMap<>();
        o.fields().forEach((k, v) -> out.put(k, v.text()));
        return out;
    }

    @Test
    void values_are_the_exact_text_between_the_separators() {
        RawObject o = parse(" {\n \"a\" : 1.50 ,\"b\":\"x, \\\"y\\\"}\" ,\t\"c\":[1, {\"d\":\"}\"}] , \"e\": {\"f\": null} ,"
                + "\"g\":true,\"h\":\"é 😀\"}\n", null);
        assertEquals(Map.of("a", "1.50", "b", "\"x, \\\"y\\\"}\"", "c", "[1, {\"d\":\"}\"}]", "e", "{\"f\": null}",
                "g", "true", "h", "\"é 😀\""), texts(o));
        assertEquals(List.of("a", "b", "c", "e", "g", "h"), List.copyOf(o.fields().keySet()));
        assertNull(o.object("e"), "only the named member is split");
        assertEquals("é 😀", RawJson.string(o.get("h")));
        assertNull(RawJson.string(o.get("a")));
        assertEquals(Map.of(), texts(parse("{}", null)));
    }

    @Test
    void the_open_member_is_split_in_the_same_pass() {
        RawObject body = parse("{\"folder_id\":null, \"chat\" : { \"title\": \"T\" , \"n\" : 12345678901234567890, \"m\":[] } }", "chat");
        assertEquals("{ \"title\": \"T\" , \"n\" : 12345678901234567890, \"m\":[] }", body.get("chat").text());
        assertEquals(Map.of("title", "\"T\"", "n", "12345678901234567890", "m", "[]"), texts(body.object("chat")));
        assertNull(parse("{\"chat\":[1]}", "chat").object("chat"));
        assertNull(parse("{\"chat\":{\"a\":1},\"chat\":\"text\"}", "chat").object("chat"), "a later duplicate replaces it");
    }

    @Test
    void the_last_of_duplicate_names_wins_at_the_first_place() {
        assertEquals(Map.of("a", "3", "b", "2"), texts(parse("{\"a\":1,\"b\":2,\"a\":3}", null)));
        assertEquals(List.of("a", "b"), List.copyOf(parse("{\"a\":1,\"b\":2,\"a\":3}", null).fields().keySet()));
    }

    @Test
    void a_slice_of_a_larger_array_is_read_in_place() {
        byte[] b = utf8("xx{\"k\":\"v\"}yy");
        RawObject o = RawJson.parse(b, 2, b.length - 2, null);
        assertEquals("\"v\"", o.get("k").text());
        assertEquals(7, o.get("k").start());
    }

    @Test
    void malformed_json_and_invalid_utf8_are_refused() {
        for (String bad : List.of("", "[]", "\"x\"", "{", "{\"a\":}", "{\"a\":1}}", "{\"a\":1} x", "{\"a\":01}",
                "{\"a\":\"x\u0000y\"}", "{\"a\":1,\u0000\"b\":2}", "{'a':1}")) {
            assertThrows(IllegalArgumentException.class, () -> parse(bad, null), bad);
        }
        byte[][] invalid = {
            {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82},
        };
        for (byte[] seq : invalid) {
            byte[] json = new byte[seq.length + 10];
            System.arraycopy(utf8("{\"a\":[\""), 0, json, 0, 7);
            System.arraycopy(seq, 0, json, 7, seq.length);
            System.arraycopy(utf8("\"]}"), 0, json, 7 + seq.length, 3);
            assertThrows(IllegalArgumentException.class, () -> RawJson.parse(json, 0, json.length, null),
                    () -> java.util.HexFormat.of().formatHex(seq));
        }
        parse("{\"a\":\"\u00e9\u20ac\ud83d\ude00\uffff\u0800\u07ff\"}", null); // boundaries of each length are fine
    }

    @Test
    void accepts_exactly_what_jackson_reads_as_an_object() {
        List<String> seeds = List.of("{\"a\":[1,-2.5e+3,true,false,null,{\"b\":\"x\\\"\\u00e9\\n\"}],\"c\":{},\"d\":[]}",
                "{ \"k\" : [ 0 , 0.0 , -0 , 1E5 , \"\\/\" ] , \"n\" : { \"m\" : [ [ ] , { } ] } }");
        String alphabet = "{}[]\",:0123456789-+.eEtrufalsn \\/abu\n";
        java.util.Random random = new java.util.Random(42);
        int accepted = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder doc = new StringBuilder(seeds.get(n % seeds.size()));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(doc.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> doc.insert(at, c);
                    case 1 -> { if (at < doc.length()) doc.deleteCharAt(at); }
                    default -> { if (at < doc.length()) doc.setCharAt(at, c); }
                }
            }
            byte[] bytes = utf8(doc.toString());
            boolean jackson;
            try {
                jackson = Json.MAPPER.readTree(bytes).isObject();
            } catch (RuntimeException e) {
                jackson = false;
            }
            boolean ours;
            try {
                RawJson.parse(bytes, 0, bytes.length, "a");
                ours = true;
            } catch (IllegalArgumentException e) {
                ours = false;
            }
            assertEquals(jackson, ours, doc::toString);
            accepted += ours ? 1 : 0;
        }
        assertTrue(accepted > 1000 && accepted < 19_000, "a mix of valid and invalid documents: " + accepted);
    }

    @Test
    void an_object_is_written_back_from_its_slices() {
        RawObject o = parse("{\"a\" : [1, 2], \"b\":\"é\"}", null);
        Map<String, RawJson.Slice> fields = new LinkedHashMap<>(o.fields());
        fields.put("new \"key\"", RawJson.Slice.of(utf8("{}")));
        RawObject merged = RawObject.of(fields);
        assertEquals("{\"a\":[1, 2],\"b\":\"é\",\"new \\\"key\\\"\":{}}", merged.toString());
        assertEquals("{\"x\":{\"a\":[1, 2],\"b\":\"é\",\"new \\\"key\\\"\":{}},\"y\":1}", Json.write(new Holder(merged, 1)));
        assertEquals("{\"k\":\"v\"}", RawObject.ofText(utf8("{\"k\":\"v\"}")).toString());
        assertEquals("\"v\"", RawObject.ofText(utf8("{\"k\":\"v\"}")).get("k").text());
    }

    record Holder(RawObject x, int y) {}
}
