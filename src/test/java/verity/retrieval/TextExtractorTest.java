package verity.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;

/** Text from each supported format, written here with the same libraries. */
class TextExtractorTest {
    private final TextExtractor extractor = new TextExtractor();

    static byte[] pdf(String... pages) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                    s.beginText();
                    s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 8);
                    s.newLineAtOffset(36, 760);
                    for (String line : text.split("\n")) {
                        s.showText(line);
                        s.newLineAtOffset(0, -10);
                    }
                    s.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }

    static byte[] docx(String paragraph, String cell) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createParagraph().createRun().setText(paragraph);
            doc.createTable(1, 1).getRow(0).getCell(0).setText(cell);
            doc.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void pdf_text_and_page_starts() throws Exception {
        TextExtractor.Extracted e = extractor.extract("pdf", "application/pdf", pdf("Café naïve page one", "Second page here"));
        assertTrue(e.text().contains("Café naïve page one"), e.text());
        assertTrue(e.text().contains("Second page here"));
        assertEquals(2, e.pageStarts().size());
        assertEquals(0, e.pageStarts().get(0));
        assertTrue(e.text().substring(e.pageStarts().get(1)).startsWith("Second page"));
    }

    @Test
    void docx_paragraphs_and_tables() throws Exception {
        String text = extractor.extract("docx", "", docx("Quarterly résumé", "cell value")).text();
        assertTrue(text.contains("Quarterly résumé"), text);
        assertTrue(text.contains("cell value"), text);
    }

    @Test
    void html_without_scripts_and_plain_formats() throws Exception {
        String html = "<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Title</h1><p>Body text</p></body></html>";
        String text = extractor.extract("html", "text/html", html.getBytes(StandardCharsets.UTF_8)).text();
        assertTrue(text.contains("Title") && text.contains("Body text"), text);
        assertTrue(!text.contains("alert") && !text.contains("p{}"), text);
        for (String ext : new String[] {"txt", "md", "csv", "json", "py"}) {
            assertEquals("a,b\n1,\"é\"", extractor.extract(ext, "", "\uFEFFa,b\n1,\"é\"".getBytes(StandardCharsets.UTF_8)).text());
        }
    }

    @Test
    void unreadable_input_says_why() {
        assertTrue(assertThrows(TextExtractor.Unreadable.class,
                () -> extractor.extract("pdf", "application/pdf", "not a pdf".getBytes(StandardCharsets.UTF_8))).getMessage().contains("PDF"));
        assertTrue(assertThrows(TextExtractor.Unreadable.class,
                () -> extractor.extract("docx", "", "not a zip".getBytes(StandardCharsets.UTF_8))).getMessage().contains(".docx"));
        assertTrue(assertThrows(TextExtractor.Unreadable.class,
                () -> extractor.extract("bin", "", new byte[] {0, 1, 2, (byte) 0xff})).getMessage().contains(".bin"));
        assertTrue(assertThrows(TextExtractor.Unreadable.class,
                () -> extractor.extract("txt", "", "   \n ".getBytes(StandardCharsets.UTF_8))).getMessage().contains("No text"));
    }
}
