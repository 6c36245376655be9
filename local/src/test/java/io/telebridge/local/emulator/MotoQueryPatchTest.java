package io.telebridge.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pins the one adaptation of moto the local stack makes (moto_query_patch.py): it applies to the
 * installed moto (its internals are what the patch expects), and patched and unpatched moto answer the
 * same Queries, GSI queries, paging and transactions on a sample table. Fails when moto changes.
 */
class MotoQueryPatchTest {

  @Test
  void thePatchAppliesToTheInstalledMotoAndAnswersAsUnpatchedMotoDoes() throws Exception {
    String python = MotoLaunch.serialPython();
    assumeTrue(python != null, "python3 with moto is not installed: the local stack runs plain moto_server, unpatched");
    String check = "import types\n"
        + "m = types.ModuleType('moto_query_patch')\n"
        + "exec(compile(open(0).read(), 'moto_query_patch.py', 'exec'), m.__dict__)\n"
        + "print('compared', m.check())\n";
    Process p = new ProcessBuilder(python, "-c", check).redirectErrorStream(true).start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(MotoLaunch.resource("moto_query_patch.py").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(5, TimeUnit.MINUTES);
    assertEquals(0, p.exitValue(), "moto_query_patch.check() failed: moto's internals changed?\n" + out);
    assertEquals(true, out.contains("compared "), out);
  }
}
