# Sourced by the other scripts: finds a JDK 25 (or newer) and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is 25+, then the system's JVM directory (/usr/lib/jvm), then the
# default java. Stops with a clear message when none is found.

cobtree_java_major() { # prints the feature version of the java binary given, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}

cobtree_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(cobtree_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$candidate"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(cobtree_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then echo "$candidate"; return 0; fi
  fi
  return 1
}

if ! COBTREE_JDK=$(cobtree_find_jdk); then
  echo "cobtree needs a JDK 25 (it is built and run on 25, compiled for release 22)." >&2
  echo "None was found in \$JAVA_HOME, /usr/lib/jvm or on the PATH." >&2
  echo "Install one (for example Eclipse Temurin 25: apt-get install temurin-25-jdk, or from adoptium.net)" >&2
  echo "and set JAVA_HOME to it, then run this command again." >&2
  exit 1
fi
export JAVA_HOME="$COBTREE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
if ! command -v mvn >/dev/null 2>&1; then
  echo "cobtree builds with Apache Maven 3.8 or newer: install it (apt-get install maven) and run this command again." >&2
  exit 1
fi
# Quiet, batch-mode Maven with JDK 25: no colour codes, no download progress lines.
# jansi.noreset: Maven 3.8's jansi writes a colour reset (ESC[0m) to stdout and stderr each time
# it uninstalls its console streams, even in batch mode with style.color=never; `mvn -q` then
# printed nothing but "ESC[0mESC[0mESC[0mESC[0m". The Unsafe flag silences the deprecation
# warnings of the Guava inside Maven 3.8 on JDK 24+.
export MAVEN_OPTS="${MAVEN_OPTS:-} -Xss4m --sun-misc-unsafe-memory-access=allow -Djansi.noreset=true"
COBTREE_MVN="mvn -B -ntp -Dstyle.color=never"
