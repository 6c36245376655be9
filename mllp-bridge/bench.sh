#!/usr/bin/env bash
# The bridge's send rate against the EHR simulator beside a plain HAPI client's, in one run.
# Usage (from anywhere): mllp-bridge/bench.sh [--messages 5000] [--warmup 2000] [--patients 50]
# Needs the module built once (mvn -pl mllp-bridge -am install -DskipTests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt \
  || mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xms512m -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  io.telebridge.mllp.bench.SendRateBench "$@"
