#!/usr/bin/env sh
# Demo tenants for the iot realm, through Keycloak's admin REST API and the pack's tenant-delegation API
# (organizations and grants are not part of Keycloak's user import files, and production imports stay clean):
#   organizations acme and globex; the demo user olga (realm role tenant-admin) a member of both;
#   tenant-app-example granted read-write by acme and limited by globex.
# Idempotent: what exists is left as it is. run-keycloak.sh runs it once Keycloak answers.
#   KC_URL=http://localhost:8080 KC_ADMIN=admin KC_ADMIN_PASSWORD=admin realm-config/demo/demo-tenants.sh
# Needs curl. Prints one line per object; exits non-zero on the first unexpected answer.
set -eu
. "$(dirname "$0")/demo-lib.sh"
APP=tenant-app-example
TENANT_ADMIN=olga
TENANT_ADMIN_PASSWORD="${DEMO_OLGA_PASSWORD:-olga-demo-password}"
OLGA=$(user_id "$TENANT_ADMIN")

for org in acme globex; do
  expect "$(call POST "$A/organizations" "$MASTER" "{\"name\":\"$org\",\"alias\":\"$org\",\"domains\":[{\"name\":\"$org.example.com\"}]}")" 201 409
  expect "$(call GET "$A/organizations?search=$org&exact=true" "$MASTER")" 200
  ORG=$(field id < "$BODY")
  [ -n "$ORG" ] || fail "organization $org not found after creating it"
  expect "$(call POST "$A/organizations/$ORG/members" "$MASTER" "\"$OLGA\"")" 201 409
  echo "organization $org ($ORG), member $TENANT_ADMIN"
done

OLGA_TOKEN=$(token "$REALM" iot-api "$TENANT_ADMIN" "$TENANT_ADMIN_PASSWORD")
[ -n "$OLGA_TOKEN" ] || fail "$TENANT_ADMIN could not sign in"
G="$URL/realms/$REALM/tenant-delegation/tenants"
expect "$(call PUT "$G/acme/grants/$APP" "$OLGA_TOKEN" '{"accessLevel":"read-write"}')" 200 201
echo "grant acme -> $APP: read-write"
expect "$(call PUT "$G/globex/grants/$APP" "$OLGA_TOKEN" '{"accessLevel":"limited"}')" 200 201
echo "grant globex -> $APP: limited"
