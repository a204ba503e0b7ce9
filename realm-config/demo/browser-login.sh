#!/usr/bin/env sh
# A browser's sign-in, done from a shell for demo accounts: the authorization code flow with PKCE (S256), the
# only flow the browser clients iot-console and developer-console allow (they have no password grant). It
# loads the login page, posts the form with the username and password (twice if Keycloak asks for the
# username first, as it does once organizations with domains exist), catches the redirect with the code
# (not followed: nothing needs to listen on the redirect URI) and exchanges the code for tokens.
# Prints the token endpoint's answer (JSON: access_token, refresh_token, and id_token with scope openid).
#   realm-config/demo/browser-login.sh REALM_URL CLIENT REDIRECT_URI USERNAME PASSWORD [SCOPE]
#   realm-config/demo/browser-login.sh http://localhost:8080/realms/iot developer-console \
#       http://localhost:3001/callback alice alice-demo-password
# For demo accounts and scripts; a person signs in with a browser (see the README). Needs curl and openssl.
set -eu
if [ $# -lt 5 ]; then
  echo "usage: $0 REALM_URL CLIENT REDIRECT_URI USERNAME PASSWORD [SCOPE]" >&2
  exit 2
fi
REALM_URL=$1
CLIENT=$2
REDIRECT=$3
LOGIN=$4
PASSWORD=$5
SCOPE=${6:-openid}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PAGE="$WORK/page"
JAR="$WORK/cookies"

fail() {
  echo "browser-login: $*" >&2
  exit 1
}

b64url() {
  base64 | tr -d '\n=' | tr '+/' '-_'
}

VERIFIER=$(openssl rand 32 | b64url)
CHALLENGE=$(printf %s "$VERIFIER" | openssl dgst -sha256 -binary | b64url)
STATE=$(openssl rand -hex 16)

status=$(curl -sS -c "$JAR" -o "$PAGE" -w '%{http_code}' -G --data-urlencode "client_id=$CLIENT" \
  --data-urlencode "redirect_uri=$REDIRECT" -d response_type=code --data-urlencode "scope=$SCOPE" -d "state=$STATE" \
  -d "code_challenge=$CHALLENGE" -d code_challenge_method=S256 "$REALM_URL/protocol/openid-connect/auth")
[ "$status" = 200 ] || fail "the login page answered HTTP $status (client $CLIENT, redirect URI $REDIRECT)"

LOCATION=
for step in 1 2 3; do
  ACTION=$(tr '\n' ' ' < "$PAGE" | sed -n 's/.*<form[^>]*id="kc-form-login"[^>]*action="\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g')
  [ -n "$ACTION" ] || fail "no login form on the page (step $step)"
  ASKED_PASSWORD=no
  grep -q 'name="password"' "$PAGE" && ASKED_PASSWORD=yes
  LOCATION=$(curl -sS -b "$JAR" -c "$JAR" -o "$PAGE" -w '%{redirect_url}' --data-urlencode "username=$LOGIN" \
    --data-urlencode "password=$PASSWORD" "$ACTION")
  [ -n "$LOCATION" ] && break
  # the same form again after a password was asked for: refused (wrong password, locked or disabled account)
  [ "$ASKED_PASSWORD" = no ] || fail "sign-in of $LOGIN refused"
done
case "$LOCATION" in
  "$REDIRECT"\?*) ;;
  *) fail "sign-in of $LOGIN did not end at $REDIRECT" ;;
esac
CODE=$(printf %s "$LOCATION" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
[ "$(printf %s "$LOCATION" | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')" = "$STATE" ] || fail "wrong state in the redirect"
[ -n "$CODE" ] || fail "no code in the redirect"

curl -sS --data-urlencode grant_type=authorization_code --data-urlencode "client_id=$CLIENT" --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$REDIRECT" --data-urlencode "code_verifier=$VERIFIER" "$REALM_URL/protocol/openid-connect/token"
echo
