package org.sparselinear.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sparselinear.api.Connectivity;

/**
 * The pictures of the experiments command, written as PNG through a temporary file and a rename:
 * learning curves drawn with XChart (test accuracy per epoch and training loss of every model;
 * one panel pair per model), and the connectivity of the first sparse layer of each model, drawn
 * with Java2D (the {@code (out, in)} matrix shrunk to cells shaded by how many connections they
 * hold, with connections that rewiring grew in red; and, for 28 x 28 images, how many connections
 * each input pixel has).
 */
final class ExperimentPlots {

    private static final int CHART_WIDTH = 900;
    private static final int CHART_HEIGHT = 520;

    private ExperimentPlots() {}

    /** Test accuracy per epoch, one series per model. */
    static XYChart accuracyChart(List<ExperimentRun.Result> results) {
        XYChart chart = new XYChartBuilder()
                .width(CHART_WIDTH)
                .height(CHART_HEIGHT)
                .title("Test accuracy per epoch")
                .xAxisTitle("epoch")
                .yAxisTitle("test accuracy (%)")
                .build();
        style(chart, Styler.LegendPosition.InsideSE);
        for (ExperimentRun.Result result : results) {
            double[] x = new double[result.epochs().size()];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = result.epochs().get(i).epoch();
                y[i] = result.epochs().get(i).test().accuracy();
            }
            chart.addSeries(result.experiment().label(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Training loss (mean over windows of steps) against epochs, one series per model. */
    static XYChart lossChart(List<ExperimentRun.Result> results) {
        XYChart chart = new XYChartBuilder()
                .width(CHART_WIDTH)
                .height(CHART_HEIGHT)
                .title("Training loss")
                .xAxisTitle("epoch")
                .yAxisTitle("cross-entropy (mean over a window of steps)")
                .build();
        style(chart, Styler.LegendPosition.InsideNE);
        for (ExperimentRun.Result result : results) {
            XYSeries series = chart.addSeries(
                    result.experiment().label(), column(result.lossTrace(), 0), column(result.lossTrace(), 1));
            series.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** One model's curves: training loss trace and test loss (left), training and test accuracy (right). */
    static BufferedImage modelCurves(ExperimentRun.Result result) {
        String label = result.experiment().label();
        int epochs = result.epochs().size();
        double[] epochAxis = new double[epochs];
        double[] testLoss = new double[epochs];
        double[] trainAccuracy = new double[epochs];
        double[] testAccuracy = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            EpochStats stats = result.epochs().get(i);
            epochAxis[i] = stats.epoch();
            testLoss[i] = stats.test().loss();
            trainAccuracy[i] = stats.train().accuracy();
            testAccuracy[i] = stats.test().accuracy();
        }
        XYChart loss = new XYChartBuilder()
                .width(600)
                .height(420)
                .title(label + ": loss")
                .xAxisTitle("epoch")
                .yAxisTitle("cross-entropy")
                .build();
        style(loss, Styler.LegendPosition.InsideNE);
        loss.addSeries("train (windows of steps)", column(result.lossTrace(), 0), column(result.lossTrace(), 1))
                .setMarker(SeriesMarkers.NONE);
        loss.addSeries("test (end of epoch)", epochAxis, testLoss).setMarker(SeriesMarkers.CIRCLE);
        XYChart accuracy = new XYChartBuilder()
                .width(600)
                .height(420)
                .title(label + ": accuracy")
                .xAxisTitle("epoch")
                .yAxisTitle("accuracy (%)")
                .build();
        style(accuracy, Styler.LegendPosition.InsideSE);
        accuracy.addSeries("train (during the epoch)", epochAxis, trainAccuracy).setMarker(SeriesMarkers.SQUARE);
        accuracy.addSeries("test (end of epoch)", epochAxis, testAccuracy).setMarker(SeriesMarkers.CIRCLE);
        return sideBySide(List.of(BitmapEncoder.getBufferedImage(loss), BitmapEncoder.getBufferedImage(accuracy)));
    }

    private static void style(XYChart chart, Styler.LegendPosition legend) {
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
    }

    private static double[] column(List<double[]> points, int index) {
        double[] values = new double[points.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = points.get(i)[index];
        }
        return values;
    }

    static BufferedImage image(XYChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static BufferedImage sideBySide(List<BufferedImage> images) {
        int width = images.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage combined = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = combined.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, x, 0, null);
            x += image.getWidth();
        }
        g.dispose();
        return combined;
    }

    /** One panel of the connectivity picture: a pattern, and the pattern it started from (null: none). */
    record Panel(String title, Connectivity connectivity, Connectivity start) {}

    private static final Color KEPT = new Color(30, 30, 40);
    private static final Color GROWN = new Color(215, 25, 28);
    private static final int MATRIX_WIDTH = 220;
    private static final int MATRIX_HEIGHT = 520;
    private static final int GAP = 24;
    private static final int TITLE = 34;

    /**
     * The connectivity of each panel's pattern: the {@code (out, in)} matrix shrunk to square
     * cells, each shaded by its number of connections relative to the fullest cell of the panel;
     * connections absent from the panel's start pattern (grown by rewiring) are red. Below, when
     * the inputs form a square image (784 = 28 x 28), the number of connections of each input pixel.
     */
    static BufferedImage connectivityPicture(List<Panel> panels) {
        int columns = panels.get(0).connectivity().columns();
        int rows = panels.get(0).connectivity().rows();
        int cell =
                Math.max(1, (int) Math.ceil(Math.max((double) columns / MATRIX_WIDTH, (double) rows / MATRIX_HEIGHT)));
        int cellsX = (columns + cell - 1) / cell;
        int cellsY = (rows + cell - 1) / cell;
        int side = (int) Math.round(Math.sqrt(columns));
        boolean image = side * side == columns && side > 1;
        int pixel = image ? Math.max(1, cellsX / side) : 0;
        int panelWidth = Math.max(cellsX, image ? side * pixel : 0);
        int width = GAP + panels.size() * (panelWidth + GAP);
        int imageTop = TITLE + cellsY + GAP + 18;
        int height = (image ? imageTop + side * pixel : TITLE + cellsY) + 56;
        BufferedImage picture = new BufferedImage(Math.max(width, 760), height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, picture.getWidth(), height);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        int x = GAP;
        for (Panel panel : panels) {
            g.setColor(Color.BLACK);
            g.drawString(panel.title(), x, 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format("%,d connections", panel.connectivity().nnz()), x, 30);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            drawMatrix(picture, panel, x, TITLE, cell, cellsX, cellsY);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x - 1, TITLE - 1, cellsX + 1, cellsY + 1);
            if (image) {
                drawInputImage(picture, panel, x, imageTop, side, pixel);
                g.drawRect(x - 1, imageTop - 1, side * pixel + 1, side * pixel + 1);
            }
            x += panelWidth + GAP;
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (image) {
            g.drawString("connections per input pixel (" + side + " x " + side + ")", GAP, imageTop - 6);
        }
        g.drawString(
                String.format(
                        "First layer, rows = %,d outputs, columns = %,d inputs, %d x %d positions per cell; "
                                + "darker = more connections (relative to the fullest cell).",
                        rows, columns, cell, cell),
                GAP,
                height - 32);
        g.setColor(GROWN);
        g.drawString("Red: connections that rewiring grew (absent from the start pattern).", GAP, height - 14);
        g.dispose();
        return picture;
    }

    private static void drawMatrix(
            BufferedImage picture, Panel panel, int left, int top, int cell, int cellsX, int cellsY) {
        int[] kept = new int[cellsX * cellsY];
        int[] grown = new int[cellsX * cellsY];
        Connectivity c = panel.connectivity();
        for (int r = 0; r < c.rows(); r++) {
            for (int k = c.rowStart(r); k < c.rowStart(r + 1); k++) {
                int column = c.column(k);
                int index = (r / cell) * cellsX + column / cell;
                if (panel.start() != null && !panel.start().contains(r, column)) {
                    grown[index]++;
                } else {
                    kept[index]++;
                }
            }
        }
        paint(picture, kept, grown, cellsX, cellsY, left, top, 1);
    }

    private static void drawInputImage(BufferedImage picture, Panel panel, int left, int top, int side, int pixel) {
        int[] kept = new int[side * side];
        int[] grown = new int[side * side];
        Connectivity c = panel.connectivity();
        for (int r = 0; r < c.rows(); r++) {
            for (int k = c.rowStart(r); k < c.rowStart(r + 1); k++) {
                int column = c.column(k);
                if (panel.start() != null && !panel.start().contains(r, column)) {
                    grown[column]++;
                } else {
                    kept[column]++;
                }
            }
        }
        paint(picture, kept, grown, side, side, left, top, pixel);
    }

    /** Shades cells by (kept + grown) relative to the fullest cell, red by the grown share. */
    private static void paint(
            BufferedImage picture, int[] kept, int[] grown, int cellsX, int cellsY, int left, int top, int scale) {
        int fullest = 1;
        for (int i = 0; i < kept.length; i++) {
            fullest = Math.max(fullest, kept[i] + grown[i]);
        }
        for (int cy = 0; cy < cellsY; cy++) {
            for (int cx = 0; cx < cellsX; cx++) {
                int i = cy * cellsX + cx;
                int total = kept[i] + grown[i];
                double darkness = (double) total / fullest;
                double red = total == 0 ? 0 : (double) grown[i] / total;
                int rgb = mix(darkness, red);
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        picture.setRGB(left + cx * scale + dx, top + cy * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int mix(double darkness, double red) {
        double r = KEPT.getRed() * (1 - red) + GROWN.getRed() * red;
        double gr = KEPT.getGreen() * (1 - red) + GROWN.getGreen() * red;
        double b = KEPT.getBlue() * (1 - red) + GROWN.getBlue() * red;
        int ir = (int) Math.round(255 * (1 - darkness) + r * darkness);
        int ig = (int) Math.round(255 * (1 - darkness) + gr * darkness);
        int ib = (int) Math.round(255 * (1 - darkness) + b * darkness);
        return (ir << 16) | (ig << 8) | ib;
    }

    /** Writes {@code picture} as PNG to {@code target}: a temporary file in the same folder, then a rename. */
    static void writePng(BufferedImage picture, Path target) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(picture, "png", bytes)) {
            throw new IOException("no PNG writer in this Java runtime (javax.imageio)");
        }
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temporary = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".tmp");
        try {
            Files.write(temporary, bytes.toByteArray());
            try {
                Files.setPosixFilePermissions(
                        temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the temporary file's default permissions stay.
            }
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The panels for the models that ran: each static topology once, RigL and SET at start and end. */
    static List<Panel> panels(List<ExperimentRun.Result> results) {
        List<Panel> panels = new ArrayList<>();
        for (ExperimentRun.Result result : results) {
            if (result.firstLayerStart() == null) {
                continue;
            }
            switch (result.experiment()) {
                case SPARSE -> panels.add(new Panel("random", result.firstLayerStart(), null));
                case USER -> panels.add(new Panel("user-defined", result.firstLayerStart(), null));
                case SMALL_WORLD -> panels.add(new Panel("small-world", result.firstLayerStart(), null));
                case RIGL -> {
                    panels.add(new Panel("RigL: start", result.firstLayerStart(), null));
                    panels.add(new Panel("RigL: after training", result.firstLayerEnd(), result.firstLayerStart()));
                }
                case SET_REWIRING ->
                    panels.add(new Panel("SET: after training", result.firstLayerEnd(), result.firstLayerStart()));
                default -> {}
            }
        }
        return panels;
    }
}
