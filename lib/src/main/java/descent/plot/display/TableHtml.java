package descent.plot.display;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Renders a Tablesaw table as an HTML table: name as caption, column names with their types, a row limit. */
public final class TableHtml {
    /** Rows shown before the table is cut (the cut is said in the caption). */
    public static final int DEFAULT_MAX_ROWS = 30;

    private TableHtml() {
    }

    /** HTML for the table, at most {@link #DEFAULT_MAX_ROWS} rows. */
    public static String html(Table table) {
        return html(table, DEFAULT_MAX_ROWS);
    }

    /** HTML for the table: all rows, or when there are more than {@code maxRows}, the first {@code maxRows - 1} and the last. */
    public static String html(Table table, int maxRows) {
        if (maxRows < 2) {
            throw new IllegalArgumentException("maxRows must be at least 2, got " + maxRows);
        }
        StringBuilder b = new StringBuilder(256);
        b.append("<table class=\"descent-table\">");
        int rows = table.rowCount();
        String caption = escape(table.name() == null ? "" : table.name());
        caption += " <span style=\"font-weight:normal;color:#666\">(" + rows + " rows × " + table.columnCount() + " columns"
                + (rows > maxRows ? ", showing the first " + (maxRows - 1) + " and the last" : "") + ")</span>";
        b.append("<caption style=\"text-align:left;font-weight:bold\">").append(caption).append("</caption>");
        b.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            b.append("<th title=\"").append(escape(c.type().name())).append("\">").append(escape(c.name()))
                    .append("<br><span style=\"font-weight:normal;color:#888;font-size:80%\">")
                    .append(typeName(c.type())).append("</span></th>");
        }
        b.append("</tr></thead><tbody>");
        for (int r = 0; r < rows; r++) {
            if (rows > maxRows && r == maxRows - 1) {
                b.append("<tr><td colspan=\"").append(table.columnCount()).append("\" style=\"text-align:center\">⋮ ")
                        .append(rows - maxRows).append(" rows not shown ⋮</td></tr>");
                r = rows - 1;
            }
            b.append("<tr>");
            for (Column<?> c : table.columns()) {
                boolean numeric = c.type().equals(ColumnType.DOUBLE) || c.type().equals(ColumnType.INTEGER)
                        || c.type().equals(ColumnType.LONG) || c.type().equals(ColumnType.FLOAT) || c.type().equals(ColumnType.SHORT);
                String text = c.type().equals(ColumnType.DOUBLE) || c.type().equals(ColumnType.FLOAT)
                        ? number(((Number) c.get(r)))
                        : c.getString(r);
                b.append(numeric ? "<td style=\"text-align:right\">" : "<td>")
                        .append(escape(text)).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        return b.toString();
    }

    /** A double as a reader wants it: 6 significant digits, no trailing zeros; missing values left empty. */
    public static String number(Number n) {
        if (n == null) {
            return "";
        }
        double v = n.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "" : (v > 0 ? "∞" : "−∞");
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        String s = (a >= 1e-4 && a < 1e7) ? String.format(java.util.Locale.ROOT, "%.6g", v) : String.format(java.util.Locale.ROOT, "%.4e", v);
        if (!s.contains("e")) {
            s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        return s;
    }

    private static String typeName(ColumnType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
