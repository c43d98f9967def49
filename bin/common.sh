# Shared by ./amtbus, ./test and .ci/run: find a JDK >= 21 and never run a server JVM as root.
# Sourced, not executed.

AMTBUS_USER=amtbus
AMTBUS_HOME=/var/lib/amtbus

# Prints the major version of the JDK at $1, or nothing.
amtbus_jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F' = ' '/java.specification.version/ {split($2, v, "."); print v[1]}'
}

# Exports JAVA_HOME pointing at a JDK >= 21: JAVA_HOME first, then the newest in /usr/lib/jvm.
amtbus_find_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(amtbus_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then export JAVA_HOME; return 0; fi
    echo "amtbus: JAVA_HOME=$JAVA_HOME is not a JDK >= 21; looking in /usr/lib/jvm" >&2
  fi
  local best="" best_major=0 dir
  for dir in /usr/lib/jvm/*; do
    [ -d "$dir" ] && [ ! -L "$dir" ] || continue
    major=$(amtbus_jdk_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best=$dir; best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "amtbus: no JDK >= 21 found (checked JAVA_HOME and /usr/lib/jvm/*); install one, e.g. Temurin 21 or 25, and set JAVA_HOME" >&2
    exit 1
  fi
  export JAVA_HOME=$best
}

# Creates the unprivileged system user the JVM runs as when we are started as root.
amtbus_ensure_user() {
  if ! id "$AMTBUS_USER" >/dev/null 2>&1; then
    useradd --system --home-dir "$AMTBUS_HOME" --create-home --shell /usr/sbin/nologin "$AMTBUS_USER"
  fi
  mkdir -p "$AMTBUS_HOME"
  chown "$AMTBUS_USER": "$AMTBUS_HOME"
  chmod 0750 "$AMTBUS_HOME"
}

# True when the unprivileged user can read the source tree at $1 in place.
amtbus_user_can_read() {
  runuser -u "$AMTBUS_USER" -- test -r "$1/pom.xml" -a -x "$1" -a -r "$1/.mvn/wrapper/maven-wrapper.properties"
}

# Makes the build output directories of the tree at $1 writable by the unprivileged user,
# without handing it the sources or .git.
amtbus_prepare_build_dirs() {
  local tree=$1 pom dir
  while IFS= read -r pom; do
    dir=$(dirname "$pom")/target
    mkdir -p "$dir"
    chown -R "$AMTBUS_USER": "$dir"
  done < <(find "$tree" -name pom.xml -not -path '*/target/*' -not -path '*/.git/*' -not -path '*/src/*')
}

# Runs "$@" as the unprivileged user with its own HOME (Maven repository, wrapper download).
amtbus_as_user() {
  runuser -u "$AMTBUS_USER" -- env HOME="$AMTBUS_HOME" JAVA_HOME="$JAVA_HOME" PATH="$JAVA_HOME/bin:$PATH" \
    ${CI:+CI="$CI"} ${MAVEN_OPTS:+MAVEN_OPTS="$MAVEN_OPTS"} ${JAZZER_FUZZ:+JAZZER_FUZZ="$JAZZER_FUZZ"} "$@"
}
