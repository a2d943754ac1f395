# Sourced by ./polystore and .ci/run: selects a JDK 21+ and checks Node 20+, with clear messages.

java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }

# JAVA_HOME if it is 21+, else the java on the PATH if it is, else the newest JDK 21+ under /usr/lib/jvm.
use_jdk21() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
    :
  elif command -v javac >/dev/null && [ "$(java_major java)" -ge 21 ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  else
    JAVA_HOME=""
    for candidate in /usr/lib/jvm/*/; do
      candidate=${candidate%/}
      [ -x "$candidate/bin/javac" ] || continue
      major=$(java_major "$candidate/bin/java")
      if [ "$major" -ge 21 ] && { [ -z "$JAVA_HOME" ] || [ "$major" -gt "$(java_major "$JAVA_HOME/bin/java")" ]; }; then
        JAVA_HOME=$candidate
      fi
    done
    if [ -z "$JAVA_HOME" ]; then
      echo "Polystore needs a JDK 21 or newer; found $(java -version 2>&1 | head -1 || echo none)." >&2
      echo "Install one (e.g. Temurin 21 or 25) and set JAVA_HOME." >&2
      exit 1
    fi
  fi
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
}

require_node20() {
  if ! command -v node >/dev/null; then
    echo "Polystore needs Node.js 20 or newer (it runs the SurrealDB engine); node was not found." >&2
    exit 1
  fi
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "Polystore needs Node.js 20 or newer (it runs the SurrealDB engine); found $(node --version)." >&2
    exit 1
  fi
}
