package org.amtbus.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a small standalone SVG: one group per category, one bar per series, the value written above
 * each bar. Hand-made, so the bench needs no plotting library.
 */
final class SvgBarChart {

    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int BOTTOM = 90;

    private final String title;
    private final String unit;
    private final List<String> series;
    private final List<String> categories = new ArrayList<>();
    private final List<double[]> values = new ArrayList<>();

    SvgBarChart(String title, String unit, List<String> series) {
        if (series.isEmpty() || series.size() > COLOURS.length) {
            throw new IllegalArgumentException("1 to " + COLOURS.length + " series");
        }
        this.title = title;
        this.unit = unit;
        this.series = List.copyOf(series);
    }

    /** One category with a value per series (NaN: no bar). */
    SvgBarChart add(String category, double... perSeries) {
        if (perSeries.length != series.size()) {
            throw new IllegalArgumentException("need " + series.size() + " values for " + category);
        }
        categories.add(category);
        values.add(perSeries.clone());
        return this;
    }

    String svg() {
        double max = values.stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> !Double.isNaN(v)).max().orElse(1);
        double top = niceCeiling(max);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(WIDTH / 2.0, 20, "middle", 14, title));
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            s.append(text(LEFT - 6, y + 4, "end", 10, Report.number(v)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
                TOP + plotH / 2.0, TOP + plotH / 2.0, escape(unit)));
        double groupW = plotW / (double) Math.max(1, categories.size());
        double barW = Math.min(40, groupW * 0.8 / series.size());
        for (int c = 0; c < categories.size(); c++) {
            double groupX = LEFT + c * groupW + (groupW - barW * series.size()) / 2;
            for (int k = 0; k < series.size(); k++) {
                double v = values.get(c)[k];
                if (Double.isNaN(v)) {
                    continue;
                }
                double h = plotH * v / top;
                double x = groupX + k * barW;
                double y = TOP + plotH - h;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s %s</title></rect>%n",
                        x, y, barW - 2, h, COLOURS[k], escape(series.get(k)), escape(categories.get(c)), Report.number(v), escape(unit)));
                s.append(text(x + (barW - 2) / 2, y - 3, "middle", 9, Report.number(v)));
            }
            s.append(text(LEFT + c * groupW + groupW / 2, TOP + plotH + 16, "middle", 10, categories.get(c)));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, TOP + plotH, WIDTH - RIGHT, TOP + plotH));
        for (int k = 0; k < series.size(); k++) {
            double x = LEFT + k * 180;
            double y = HEIGHT - 30;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y - 10, COLOURS[k]));
            s.append(text(x + 16, y, "start", 11, series.get(k)));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, svg());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * power >= v) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(content));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
