package dev.cobtree.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One PNG bar chart per workload (XChart): a group of bars per parameter set, a bar per implementation. */
final class ChartWriter {

    /** One colour per implementation in every chart: cobtree in blues, skip lists in reds, limits in greys. */
    private static final Map<String, Color> COLORS = Map.ofEntries(
            Map.entry("cobtree", new Color(0x1f5fbf)),
            Map.entry("cobtreeSink", new Color(0x5b9bef)),
            Map.entry("cobtreeOffHeap", new Color(0x1f4e9c)),
            Map.entry("cobtreeMap", new Color(0x17a2b8)),
            Map.entry("cslmFresh", new Color(0xd62728)),
            Map.entry("cslmCompacted", new Color(0xff7f0e)),
            Map.entry("treeMapRw", new Color(0x9467bd)),
            Map.entry("avl", new Color(0x8c564b)),
            Map.entry("sortedArray", new Color(0x7f7f7f)),
            Map.entry("eytzinger", new Color(0x3f3f3f)),
            Map.entry("veb", new Color(0x1f5fbf)),
            Map.entry("binary", new Color(0x7f7f7f)));

    private ChartWriter() {
    }

    /**
     * @param groups group label, then implementation to value (NaN where not measured)
     * @return the file written
     */
    static Path write(Path dir, Workload w, Map<String, Map<String, Double>> groups, List<String> impls) throws IOException {
        Files.createDirectories(dir);
        List<String> labels = new ArrayList<>(groups.keySet());
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Map<String, Double> g : groups.values()) {
            for (double v : g.values()) {
                if (v > 0 && !Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        boolean log = max / min > 30;
        // XChart's log axis needs an explicit positive minimum; missing bars sit on it (invisible).
        double floor = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520)
                .title(w.title() + " (" + w.unit() + (w.throughput() ? ", higher is better" : ", lower is better") + ")")
                .xAxisTitle(String.join(", ", w.groupBy())).yAxisTitle(w.unit() + (log ? " (log scale)" : "")).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(log);
        if (log) chart.getStyler().setYAxisMin(floor);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(labels.size() > 4 ? 20 : 0);
        for (String impl : impls) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (String label : labels) {
                Double v = groups.get(label).get(impl);
                if (v == null || Double.isNaN(v) || v <= 0) {
                    ys.add(floor);
                } else {
                    ys.add(v);
                    any = true;
                }
            }
            if (any) {
                var series = chart.addSeries(impl, labels, ys);
                Color c = COLORS.get(impl);
                if (c != null) series.setFillColor(c);
            }
        }
        Path file = dir.resolve(w.id() + ".png");
        if (chart.getSeriesMap().isEmpty()) return null;
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
