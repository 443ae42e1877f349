package verity.retrieval;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.extractor.POITextExtractor;
import org.apache.poi.ooxml.extractor.POIXMLExtractorFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * Text out of an upload: PDF (PDFBox), Office Open XML documents, spreadsheets and slides (POI), HTML (jsoup),
 * and anything that decodes as UTF-8 text (txt, md, csv, json, code, ...).
 */
public final class TextExtractor {
    private static final Set<String> OFFICE = Set.of("docx", "xlsx", "pptx");
    private static final Set<String> HTML = Set.of("html", "htm", "xhtml");

    /** The text and, for paged formats, the offset in it where each page starts. */
    public record Extracted(String text, List<Integer> pageStarts) {}

    /** A file whose text cannot be read; the message is shown to the user as the file's error. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message);
        }
    }

    public Extracted extract(String extension, String contentType, byte[] bytes) throws Unreadable {
        String ext = extension.toLowerCase(Locale.ROOT);
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        Extracted result;
        if (ext.equals("pdf") || type.equals("application/pdf")) {
            result = pdf(bytes);
        } else if (OFFICE.contains(ext)) {
            result = new Extracted(office(bytes, ext), List.of());
        } else if (HTML.contains(ext) || type.startsWith("text/html")) {
            result = new Extracted(html(bytes), List.of());
        } else {
            String text = utf8(bytes);
            if (text == null) {
                throw new Unreadable("No text extractor for " + (ext.isEmpty() ? "this file type" : "." + ext + " files")
                        + "; text is read from pdf, docx, xlsx, pptx, html and UTF-8 text files (the file is kept)");
            }
            result = new Extracted(text, List.of());
        }
        if (result.text().isBlank()) {
            throw new Unreadable("No text found in the file" + (ext.equals("pdf") ? " (a scanned PDF needs OCR, which is not done here)" : ""));
        }
        return result;
    }

    private static Extracted pdf(byte[] bytes) throws Unreadable {
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            PDFTextStripper stripper = new PDFTextStripper();
            StringBuilder text = new StringBuilder();
            List<Integer> starts = new ArrayList<>();
            for (int page = 1; page <= doc.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                starts.add(text.length());
                text.append(stripper.getText(doc));
            }
            return new Extracted(text.toString(), starts);
        } catch (IOException e) {
            throw new Unreadable("Not a readable PDF: " + e.getMessage());
        }
    }

    private static String office(byte[] bytes, String ext) throws Unreadable {
        try (POITextExtractor extractor = new POIXMLExtractorFactory().create(new ByteArrayInputStream(bytes), null)) {
            if (extractor == null) {
                throw new Unreadable("Not a readable ." + ext + " document");
            }
            return extractor.getText();
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("Not a readable ." + ext + " document: " + e.getMessage());
        }
    }

    private static String html(byte[] bytes) {
        Document doc = Jsoup.parse(new String(bytes, StandardCharsets.UTF_8));
        doc.select("script, style, noscript, template").remove();
        return doc.body() == null ? "" : doc.body().wholeText().replaceAll("\n[ \t]*\n(\\s*\n)+", "\n\n").strip();
    }

    /** Strict UTF-8 (BOM dropped); null when the bytes are not text (invalid UTF-8 or NUL bytes). */
    static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.indexOf('\0') >= 0) {
                return null;
            }
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
