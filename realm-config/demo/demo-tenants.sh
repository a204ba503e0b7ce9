#!/usr/bin/env sh
# Demo tenants for the iot realm, through Keycloak's admin REST API and the pack's tenant-delegation API
# (organizations and grants are not part of Keycloak's user import files, and production imports stay clean):
#   organizations acme and globex; the demo user olga (realm role tenant-admin) a member of both;
#   tenant-app-example granted read-write by acme and limited by globex.
# Idempotent: what exists is left as it is. run-keycloak.sh runs it once Keycloak answers.
#   KC_URL=http://localhost:8080 KC_ADMIN=admin KC_ADMIN_PASSWORD=admin realm-config/demo/demo-tenants.sh
# Needs curl. Prints one line per object; exits non-zero on the first unexpected answer.
set -eu
URL="${KC_URL:-http://localhost:8080}"
ADMIN="${KC_ADMIN:-admin}"
ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-admin}"
REALM=iot
APP=tenant-app-example
TENANT_ADMIN=olga
TENANT_ADMIN_PASSWORD="${DEMO_OLGA_PASSWORD:-olga-demo-password}"

# the first "key":"value" string of a JSON text (enough for Keycloak's answers read here)
field() {
  sed -n "s/^[^{]*{[^}]*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1
}

token() { # realm client user password
  curl -fsS --data-urlencode "grant_type=password" --data-urlencode "client_id=$2" --data-urlencode "username=$3" \
    --data-urlencode "password=$4" "$URL/realms/$1/protocol/openid-connect/token" | field access_token
}

# status of a request; the body goes to $BODY
BODY=$(mktemp)
trap 'rm -f "$BODY"' EXIT
call() { # method url bearer [json]
  if [ $# -ge 4 ]; then
    curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4" "$2"
  else
    curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" "$2"
  fi
}

expect() { # status allowed... ; fails with the body otherwise
  got=$1
  shift
  for ok in "$@"; do
    [ "$got" = "$ok" ] && return 0
  done
  echo "demo-tenants: unexpected HTTP $got: $(cat "$BODY")" >&2
  exit 1
}

MASTER=$(token master admin-cli "$ADMIN" "$ADMIN_PASSWORD")
[ -n "$MASTER" ] || { echo "demo-tenants: no admin token from $URL" >&2; exit 1; }
A="$URL/admin/realms/$REALM"

expect "$(call GET "$A/users?username=$TENANT_ADMIN&exact=true" "$MASTER")" 200
OLGA=$(field id < "$BODY")
[ -n "$OLGA" ] || { echo "demo-tenants: no user $TENANT_ADMIN in realm $REALM (import realm-config/demo first)" >&2; exit 1; }

for org in acme globex; do
  expect "$(call POST "$A/organizations" "$MASTER" "{\"name\":\"$org\",\"alias\":\"$org\",\"domains\":[{\"name\":\"$org.example.com\"}]}")" 201 409
  expect "$(call GET "$A/organizations?search=$org&exact=true" "$MASTER")" 200
  ORG=$(field id < "$BODY")
  [ -n "$ORG" ] || { echo "demo-tenants: organization $org not found after creating it" >&2; exit 1; }
  expect "$(call POST "$A/organizations/$ORG/members" "$MASTER" "\"$OLGA\"")" 201 409
  echo "organization $org ($ORG), member $TENANT_ADMIN"
done

OLGA_TOKEN=$(token "$REALM" iot-api "$TENANT_ADMIN" "$TENANT_ADMIN_PASSWORD")
[ -n "$OLGA_TOKEN" ] || { echo "demo-tenants: $TENANT_ADMIN could not sign in" >&2; exit 1; }
G="$URL/realms/$REALM/tenant-delegation/tenants"
expect "$(call PUT "$G/acme/grants/$APP" "$OLGA_TOKEN" '{"accessLevel":"read-write"}')" 200 201
echo "grant acme -> $APP: read-write"
expect "$(call PUT "$G/globex/grants/$APP" "$OLGA_TOKEN" '{"accessLevel":"limited"}')" 200 201
echo "grant globex -> $APP: limited"
