#!/usr/bin/env sh
# Starts Keycloak 26.7.3 with this pack and the iot realm (plus demo users) on http://localhost:8080,
# on an embedded H2 database under .run/ that survives restarts. Needs a JDK (17+), Maven, Node.js 20.19+ (20.x) or
# 22.12+ with npm (the console pages), and curl and openssl for the demo data.
#   ./run-keycloak.sh            build the pack, then start
#   KC_PORT=8081 ./run-keycloak.sh
#   rm -rf .run                  forget everything (database included)
set -eu
cd "$(dirname "$0")"
ROOT=$(pwd)
KC_VERSION=$(sed -n 's:.*<keycloak.version>\(.*\)</keycloak.version>.*:\1:p' pom.xml | head -n 1)
KC_HOME="$ROOT/.run/keycloak-$KC_VERSION"
KC_PORT="${KC_PORT:-8080}"

echo ">> Building the pack (mvn package, tests skipped)"
mvn -B -q -DskipTests package

if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  echo ">> Fetching Keycloak $KC_VERSION from Maven Central"
  mkdir -p "$ROOT/.run"
  mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:tar.gz" \
      -DoutputDirectory="$ROOT/.run" -Dmdep.stripVersion=false
  tar xzf "$ROOT/.run/keycloak-quarkus-dist-$KC_VERSION.tar.gz" -C "$ROOT/.run"
  rm -f "$ROOT/.run/keycloak-quarkus-dist-$KC_VERSION.tar.gz"
fi

# The pack: replace only what changed, so an unchanged pack starts without re-augmentation. Only the two
# runtime JARs: the providers module also builds a -tests.jar (test helpers), which must never reach
# providers/ (its classes share the pack's packages: a split package), nor sources or javadoc JARs.
mkdir -p "$KC_HOME/providers" "$KC_HOME/data/import"
rm -f "$KC_HOME"/providers/*-tests.jar "$KC_HOME"/providers/*-sources.jar "$KC_HOME"/providers/*-javadoc.jar
for jar in providers/target/keycloak-iot-tokens-providers-*.jar themes/target/keycloak-iot-tokens-themes-*.jar; do
  case "$jar" in
    *-tests.jar | *-sources.jar | *-javadoc.jar) continue ;;
  esac
  name=$(basename "$jar" | sed 's/-[0-9][0-9.]*\(-SNAPSHOT\)\{0,1\}\.jar$/.jar/')
  cmp -s "$jar" "$KC_HOME/providers/$name" || cp "$jar" "$KC_HOME/providers/$name"
done
# Imported on the first start only: an existing realm is left as it is.
cp realm-config/iot-realm.json realm-config/demo/*.json "$KC_HOME/data/import/"

cat <<MSG
>> Keycloak $KC_VERSION with keycloak-iot-tokens on http://localhost:$KC_PORT (Ctrl-C stops it)
   Admin console: http://localhost:$KC_PORT/admin/  user admin, password admin (created on the first start)
   Realm iot:     http://localhost:$KC_PORT/realms/iot/account/  demo users alice, bob, olga
                  (passwords alice-demo-password, bob-demo-password, olga-demo-password)
   Data:          $KC_HOME/data/h2 (kept across restarts; rm -rf .run to start over)
MSG
export KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}"
export KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}"

# The master realm's admin theme (the pack's admin pages), demo tenants and a demo device (organizations, grants
# and devices are not in Keycloak's import files):
# once, when Keycloak first answers, in the background. rm "$KC_HOME/data/demo-data.done" to run it again.
if command -v curl >/dev/null 2>&1 && [ ! -f "$KC_HOME/data/demo-data.done" ]; then
  (
    i=0
    until curl -fs -o /dev/null "http://localhost:$KC_PORT/realms/iot/.well-known/openid-configuration"; do
      i=$((i + 1))
      [ "$i" -gt 600 ] && exit 0
      sleep 1
    done
    export KC_URL="http://localhost:$KC_PORT" KC_ADMIN="$KC_BOOTSTRAP_ADMIN_USERNAME" KC_ADMIN_PASSWORD="$KC_BOOTSTRAP_ADMIN_PASSWORD"
    export DEMO_DIR="$KC_HOME/data/demo"
    LOG="$KC_HOME/data/demo-data.log"
    if sh "$ROOT/realm-config/demo/admin-console-theme.sh" >"$LOG" 2>&1; then
      echo ">> Admin console: the IoT tokens pages are in the navigation of http://localhost:$KC_PORT/admin/"
    else
      echo ">> Admin console theme not set: see $LOG"
    fi
    if sh "$ROOT/realm-config/demo/demo-tenants.sh" >>"$LOG" 2>&1; then
      echo ">> Demo tenants acme and globex ready (olga is their tenant admin; tenant-app-example is granted)"
      if ! command -v openssl >/dev/null 2>&1; then
        echo ">> No demo device: openssl is not installed"
        touch "$KC_HOME/data/demo-data.done"
      elif sh "$ROOT/realm-config/demo/demo-devices.sh" >>"$LOG" 2>&1; then
        echo ">> Demo device demo-sensor-1 ready (owner olga; its private key: $DEMO_DIR/demo-sensor-1.pem)"
        touch "$KC_HOME/data/demo-data.done"
      else
        echo ">> Demo device not set up: see $LOG"
      fi
    else
      echo ">> Demo tenants not set up: see $LOG"
    fi
  ) &
fi
exec "$KC_HOME/bin/kc.sh" start-dev --db=dev-file --http-port="$KC_PORT" --import-realm
