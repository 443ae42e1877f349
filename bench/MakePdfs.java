import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Turns every pdf-src-NNN.txt in DIR into doc-NNN.pdf (Helvetica 10 pt, A4, wrapped at 95 characters, 60 lines
 * a page) with the PDFBox in the server jar, and deletes the .txt.
 *   java -cp verity.jar bench/MakePdfs.java DIR
 */
public class MakePdfs {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<Path> sources;
        try (Stream<Path> s = Files.list(dir)) {
            sources = s.filter(p -> p.getFileName().toString().startsWith("pdf-src-")).sorted().toList();
        }
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        for (Path src : sources) {
            List<String> lines = new ArrayList<>();
            for (String para : Files.readAllLines(src)) {
                String text = para.replaceAll("[^\\x20-\\x7e]", " ");
                while (text.length() > 95) {
                    int cut = text.lastIndexOf(' ', 95);
                    cut = cut <= 0 ? 95 : cut;
                    lines.add(text.substring(0, cut));
                    text = text.substring(cut).stripLeading();
                }
                lines.add(text);
            }
            Path out = dir.resolve(src.getFileName().toString().replace("pdf-src-", "doc-").replace(".txt", ".pdf"));
            try (PDDocument doc = new PDDocument()) {
                for (int from = 0; from < lines.size(); from += 60) {
                    PDPage page = new PDPage(PDRectangle.A4);
                    doc.addPage(page);
                    try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                        cs.beginText();
                        cs.setFont(font, 10);
                        cs.setLeading(12.5f);
                        cs.newLineAtOffset(50, 790);
                        for (String line : lines.subList(from, Math.min(lines.size(), from + 60))) {
                            cs.showText(line);
                            cs.newLine();
                        }
                        cs.endText();
                    }
                }
                doc.save(out.toFile());
            }
            Files.delete(src);
        }
        System.out.println(sources.size() + " PDFs written");
    }
}
