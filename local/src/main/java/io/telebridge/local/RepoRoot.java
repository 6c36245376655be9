package io.telebridge.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the repository root: the nearest directory, from here upwards, holding template.yaml. */
public final class RepoRoot {

  public static final String TEMPLATE = "template.yaml";

  private RepoRoot() {}

  public static Optional<Path> find(Path start) {
    Path dir = start.toAbsolutePath().normalize();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve(TEMPLATE))) {
        return Optional.of(dir);
      }
      dir = dir.getParent();
    }
    return Optional.empty();
  }

  /** template.yaml of the repository around the working directory. */
  public static Optional<Path> template() {
    return find(Path.of("")).map(d -> d.resolve(TEMPLATE));
  }
}
