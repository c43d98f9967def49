package org.amtbus.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one scenario, each beside the baseline measured in the same run: printed as they come, and written
 * as a Markdown table at the end.
 */
final class Report {

    /** One figure; {@code baseline} is NaN when the figure has none of its own (the note says what it is compared with). */
    record Row(String what, String metric, double ours, double baseline, String unit, String note) {
        double ratio() {
            return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : ours / baseline;
        }
    }

    private final String title;
    private final String oursName;
    private final String baselineName;
    private final List<Row> rows = new ArrayList<>();

    Report(String title, String oursName, String baselineName) {
        this.title = title;
        this.oursName = oursName;
        this.baselineName = baselineName;
    }

    void add(String what, String metric, double ours, double baseline, String unit, String note) {
        Row row = new Row(what, metric, ours, baseline, unit, note);
        rows.add(row);
        System.out.println(line(row));
        System.out.flush();
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    String line(Row r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-34s %-10s %s %s %s", r.what(), r.metric(),
                oursName, number(r.ours()), r.unit()));
        if (!Double.isNaN(r.baseline())) {
            s.append(String.format(Locale.ROOT, " | %s %s %s | ratio %s", baselineName, number(r.baseline()), r.unit(),
                    ratio(r.ratio())));
        }
        if (!r.note().isEmpty()) {
            s.append("  (").append(r.note()).append(')');
        }
        return s.toString();
    }

    String markdown() {
        StringBuilder s = new StringBuilder("### ").append(title).append("\n\n");
        s.append("| case | figure | ").append(oursName).append(" | ").append(baselineName).append(" | ratio | note |\n");
        s.append("| --- | --- | ---: | ---: | ---: | --- |\n");
        for (Row r : rows) {
            s.append("| ").append(r.what()).append(" | ").append(r.metric()).append(" (").append(r.unit()).append(") | ")
                    .append(number(r.ours())).append(" | ").append(number(r.baseline())).append(" | ")
                    .append(ratio(r.ratio())).append(" | ").append(r.note()).append(" |\n");
        }
        return s.toString();
    }

    void writeMarkdown(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
