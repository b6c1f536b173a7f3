#!/usr/bin/env bash
# A write-path bisect across commits in ONE JVM (docs/BENCH.md, "Bulk shifts"): each commit's
# storage-adapter and index-core sources are compiled into a directory of their own and loaded by
# a class loader of their own; every round runs PutDriver.<mode> with each build on the same keys,
# the builds' order reversed every other round. Not JMH: a diagnostic to find which commit a
# regression came from, on a quiet machine.
#   bench/bisect/run.sh randomPut|randomRemove N ROUNDS COMMIT...
set -euo pipefail
cd "$(dirname "$0")/../.."
. bin/jdk.sh
mode=$1 n=$2 rounds=$3; shift 3
work=${BISECT_DIR:-/tmp/cobtree-bisect}
slf=$(ls ~/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar)
for c in "$@"; do
  if [ ! -d "$work/$c/out" ]; then
    mkdir -p "$work/$c/src" "$work/$c/out"
    git archive "$c" storage-adapter/src/main/java index-core/src/main/java | tar -x -C "$work/$c/src"
    (cd "$work/$c/src" && "$JAVA_HOME/bin/javac" --release 22 -nowarn -cp "$slf" -d ../out \
      $(find . -name '*.java' ! -name module-info.java))
  fi
done
mkdir -p "$work/driver/out"
"$JAVA_HOME/bin/javac" -cp "$work/$1/out" -d "$work/driver/out" bench/bisect/PutDriver.java bench/bisect/Bisect.java
cd "$work"
"$JAVA_HOME/bin/java" -Xms6g -Xmx6g -Xmn2g -XX:+UseParallelGC -Dmode="$mode" -Dslf="$slf" -Ddriver="$work/driver/out/" \
  -Dbuilds="$work" -cp driver/out Bisect "$n" "$rounds" "$@"
