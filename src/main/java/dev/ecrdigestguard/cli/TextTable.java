package dev.ecrdigestguard.cli;

import dev.ecrdigestguard.alert.AlertText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --format table}: rows in aligned columns under a header, and one totals line, for people reading a terminal
 * (the AWS CLI's table output is the model). Cells are one clean line each (no control characters from a rule
 * description), cut at {@link #CELL_LIMIT} characters so one long value can't push the others off the screen.
 */
final class TextTable {

    static final int CELL_LIMIT = 80;

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    TextTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + header.size() + " columns, not " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(cell -> AlertText.oneLine(cell == null ? "" : cell, CELL_LIMIT)).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The header and rows (none when there are no rows), then the totals line. */
    void print(PrintWriter out, String totals) {
        if (!rows.isEmpty()) {
            int[] widths = new int[header.size()];
            for (List<String> line : concat()) {
                for (int i = 0; i < line.size(); i++) {
                    widths[i] = Math.max(widths[i], line.get(i).length());
                }
            }
            for (List<String> line : concat()) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < line.size(); i++) {
                    text.append(i == line.size() - 1 ? line.get(i) : pad(line.get(i), widths[i]) + "  ");
                }
                out.println(text.toString().stripTrailing());
            }
        }
        out.println(totals);
    }

    private List<List<String>> concat() {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(width - text.length());
    }
}
