package io.telebridge.local.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Queue depth over time as a PNG line chart (java.awt, headless): one line per queue. */
final class DepthPlot {

  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e)};

  private DepthPlot() {}

  static void write(Path file, String title, List<LoadRun.Sample> samples, double sendEndSeconds) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int w = 900;
    int h = 420;
    int left = 70;
    int right = 20;
    int top = 40;
    int bottom = 50;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    List<String> labels = samples.isEmpty() ? List.of() : new ArrayList<>(samples.get(0).depth().keySet());
    double maxT = Math.max(1, samples.isEmpty() ? 1 : samples.get(samples.size() - 1).seconds());
    long maxY = 1;
    for (LoadRun.Sample s : samples) {
      for (long v : s.depth().values()) {
        maxY = Math.max(maxY, v);
      }
    }
    maxY = niceCeiling(maxY);
    int pw = w - left - right;
    int ph = h - top - bottom;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // grid and axes
    for (int i = 0; i <= 5; i++) {
      int y = top + ph - ph * i / 5;
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(left, y, left + pw, y);
      g.setColor(Color.DARK_GRAY);
      String label = Long.toString(maxY * i / 5);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    int ticks = 10;
    for (int i = 0; i <= ticks; i++) {
      int x = left + pw * i / ticks;
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%.0f", maxT * i / ticks);
      g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, top + ph + 16);
    }
    g.drawRect(left, top, pw, ph);
    g.drawString("seconds since the first event was due", left + pw / 2 - 110, h - 12);
    g.drawString("messages", 8, top - 8);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, left, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    // end of sending
    if (sendEndSeconds > 0 && sendEndSeconds < maxT) {
      int x = left + (int) (pw * sendEndSeconds / maxT);
      g.setColor(Color.GRAY);
      g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
      g.drawLine(x, top, x, top + ph);
      g.drawString("last answer", x + 4, top + 14);
    }
    g.setStroke(new BasicStroke(2));
    for (int k = 0; k < labels.size(); k++) {
      String label = labels.get(k);
      g.setColor(COLORS[k % COLORS.length]);
      int px = -1;
      int py = -1;
      for (LoadRun.Sample s : samples) {
        Long v = s.depth().get(label);
        if (v == null || v < 0) { // unreachable (restarting): a gap
          px = -1;
          continue;
        }
        int x = left + (int) (pw * s.seconds() / maxT);
        int y = top + ph - (int) (ph * (double) v / maxY);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.fillRect(left + pw - 290, top + 10 + k * 18, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(label + " (visible + in flight)", left + pw - 272, top + 21 + k * 18);
    }
    g.dispose();
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private static long niceCeiling(long v) {
    long p = 1;
    while (p * 10 <= v) {
      p *= 10;
    }
    for (long m : new long[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
