package io.gfs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The report's chart, drawn with Java2D: one bar per gfs/HDFS comparison on a log scale (1x in the middle), green
 * where gfs is ahead, red where it is behind, with the 1.3x and 2x goal lines.
 */
final class Chart {
  private static final int WIDTH = 1100;
  private static final int LABEL_WIDTH = 380;
  private static final int ROW_HEIGHT = 22;
  private static final int TOP = 50;
  private static final int BOTTOM = 40;
  private static final double LOG_RANGE = 4; // from 1/16x to 16x

  private Chart() {}

  static void write(List<Comparison> comparisons, String title, Path file) throws IOException {
    int height = TOP + BOTTOM + ROW_HEIGHT * Math.max(1, comparisons.size());
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.drawString(title, 10, 22);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int plotLeft = LABEL_WIDTH;
      int plotWidth = WIDTH - LABEL_WIDTH - 30;
      int axisBottom = TOP + ROW_HEIGHT * comparisons.size();
      for (double tick : new double[] {1.0 / 16, 0.25, 0.5, 1, 1.3, 2, 4, 16}) {
        int x = x(tick, plotLeft, plotWidth);
        boolean goal = tick == 1.3 || tick == 2;
        g.setColor(tick == 1 ? Color.BLACK : goal ? new Color(0x1f, 0x77, 0xb4) : new Color(0xdd, 0xdd, 0xdd));
        g.setStroke(goal ? new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0)
            : new BasicStroke(1));
        g.drawLine(x, TOP - 6, x, axisBottom);
        g.drawString(tick < 1 ? "1/" + Math.round(1 / tick) + "x" : trim(tick) + "x", x - 10, axisBottom + 16);
      }
      g.setStroke(new BasicStroke(1));
      for (int i = 0; i < comparisons.size(); i++) {
        Comparison c = comparisons.get(i);
        int y = TOP + i * ROW_HEIGHT;
        g.setColor(Color.BLACK);
        g.drawString(c.suite() + ": " + c.label(), 10, y + 15);
        int one = x(1, plotLeft, plotWidth);
        int end = x(c.advantage(), plotLeft, plotWidth);
        g.setColor(c.advantage() >= 1 ? new Color(0x2c, 0xa0, 0x2c) : new Color(0xd6, 0x27, 0x28));
        g.fillRect(Math.min(one, end), y + 4, Math.max(1, Math.abs(end - one)), ROW_HEIGHT - 8);
        g.setColor(Color.BLACK);
        String value = String.format(Locale.ROOT, "%.2fx", c.advantage());
        g.drawString(value, c.advantage() >= 1 ? end + 4 : end - 4 - g.getFontMetrics().stringWidth(value), y + 15);
      }
      g.drawString("gfs advantage over HDFS (log scale; dashed: the issue's 1.3x and 2x goals)", plotLeft,
          axisBottom + 32);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", file.toFile());
  }

  private static int x(double ratio, int left, int width) {
    double log = Math.log(ratio) / Math.log(2);
    double clamped = Math.max(-LOG_RANGE, Math.min(LOG_RANGE, log));
    return left + (int) Math.round((clamped + LOG_RANGE) / (2 * LOG_RANGE) * width);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
