# Shared by the demo scripts (sourced, not run): settings, a scratch directory and small HTTP helpers.
URL="${KC_URL:-http://localhost:8080}"
ADMIN="${KC_ADMIN:-admin}"
ADMIN_PASSWORD="${KC_ADMIN_PASSWORD:-admin}"
REALM=iot
NAME=$(basename "$0" .sh)
WORK=$(mktemp -d)
BODY="$WORK/body"
trap 'rm -rf "$WORK"' EXIT

fail() {
  echo "$NAME: $*" >&2
  exit 1
}

# the first "key":"value" string of a JSON text (enough for Keycloak's answers read here)
field() {
  sed -n "s/^[^{]*{[^}]*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1
}

token() { # realm client user password
  curl -fsS --data-urlencode "grant_type=password" --data-urlencode "client_id=$2" --data-urlencode "username=$3" \
    --data-urlencode "password=$4" "$URL/realms/$1/protocol/openid-connect/token" | field access_token
}

# the HTTP status of a request; its body goes to $BODY
call() { # method url bearer [json]
  if [ $# -ge 4 ]; then
    curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' -d "$4" "$2"
  else
    curl -sS -o "$BODY" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" "$2"
  fi
}

expect() { # status allowed...
  got=$1
  shift
  for ok in "$@"; do
    [ "$got" = "$ok" ] && return 0
  done
  fail "unexpected HTTP $got: $(cat "$BODY")"
}

MASTER=$(token master admin-cli "$ADMIN" "$ADMIN_PASSWORD") || true
[ -n "$MASTER" ] || fail "no admin token from $URL"
A="$URL/admin/realms/$REALM"

# the id of a realm user, or fail
user_id() {
  expect "$(call GET "$A/users?username=$1&exact=true" "$MASTER")" 200
  id=$(field id < "$BODY")
  [ -n "$id" ] || fail "no user $1 in realm $REALM (import realm-config/demo first)"
  echo "$id"
}
