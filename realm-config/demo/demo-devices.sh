#!/usr/bin/env sh
# A demo device for the iot realm, made the way a real one is (devices are not in Keycloak's import files):
#   group demo-things with the demo user olga; device demo-sensor-1 with a fresh EC P-256 key that registers
#   itself (POST /devices/demo-sensor-1/key, signed); olga's bootstrap token (thing:bootstrap, group
#   demo-things); the device's signed bootstrap request, so olga owns demo-sensor-1, it is in demo-things,
#   and it holds its registration, anchoring and verification tokens.
# The device's private key is kept in DEMO_DIR (default .) as demo-sensor-1.pem, so requests can be signed
# as the device later; a second run reuses it. Idempotent.
#   KC_URL=http://localhost:8080 KC_ADMIN=admin KC_ADMIN_PASSWORD=admin DEMO_DIR=. realm-config/demo/demo-devices.sh
# Needs curl and openssl. Prints one line per step; exits non-zero on the first unexpected answer.
set -eu
. "$(dirname "$0")/demo-lib.sh"
DIR="${DEMO_DIR:-.}"
DEVICE=demo-sensor-1
GROUP=demo-things
OWNER=olga
OWNER_PASSWORD="${DEMO_OLGA_PASSWORD:-olga-demo-password}"
KEY="$DIR/$DEVICE.pem"
PUB="$WORK/pub"

# a request signed by the device: X-Signature = base64(SHA512withECDSA(body)), DER; [bearer] of the owner, which a
# device that already has an owner needs to register a key (nobody plants a key on someone else's device)
signed() { # url json [bearer]
  sig=$(printf %s "$2" | openssl dgst -sha512 -sign "$KEY" | base64 | tr -d '\n')
  if [ -n "${3:-}" ]; then
    curl -sS -o "$BODY" -w '%{http_code}' -X POST -H "X-Signature: $sig" -H "Authorization: Bearer $3" \
      -H 'Content-Type: application/json' -d "$2" "$1"
  else
    curl -sS -o "$BODY" -w '%{http_code}' -X POST -H "X-Signature: $sig" -H 'Content-Type: application/json' -d "$2" "$1"
  fi
}

b64url() {
  base64 | tr -d '\n=' | tr '+/' '-_'
}

OWNER_ID=$(user_id "$OWNER")
expect "$(call POST "$A/groups" "$MASTER" "{\"name\":\"$GROUP\"}")" 201 409
expect "$(call GET "$A/groups?search=$GROUP&exact=true" "$MASTER")" 200
GROUP_ID=$(field id < "$BODY")
expect "$(call PUT "$A/users/$OWNER_ID/groups/$GROUP_ID" "$MASTER" '{}')" 204
echo "group $GROUP ($GROUP_ID), member $OWNER"

mkdir -p "$DIR"
if [ ! -f "$KEY" ]; then
  (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$KEY")
fi
# the public key as a JWK: the last 64 bytes of the DER SubjectPublicKeyInfo are X || Y
openssl ec -in "$KEY" -pubout -outform DER 2>/dev/null | tail -c 64 > "$PUB"
X=$(head -c 32 "$PUB" | b64url)
Y=$(tail -c 32 "$PUB" | b64url)
OWNER_TOKEN=$(token "$REALM" iot-api "$OWNER" "$OWNER_PASSWORD")
[ -n "$OWNER_TOKEN" ] || fail "$OWNER could not sign in"
status=$(signed "$URL/realms/$REALM/devices/$DEVICE/key" "{\"publicKey\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"$X\",\"y\":\"$Y\"}}" "$OWNER_TOKEN")
if [ "$status" = 409 ]; then
  fail "$DEVICE already has another key than $KEY; restore that key, or delete the device" \
    "(DELETE $A/devices/$DEVICE) and run again"
fi
expect "$status" 201 200
echo "device $DEVICE registered its key (private key: $KEY)"

expect "$(call POST "$URL/realms/$REALM/purposed-tokens" "$OWNER_TOKEN" \
  "{\"purpose\":\"demo bootstrap\",\"targetIdentities\":[],\"targetGroups\":[\"$GROUP_ID\"],\"expiration\":3600,\"originDomains\":[],\"scopes\":[\"thing:bootstrap\"]}")" 201
# the top-level "token" of the answer (after the nested jwtClaim object)
BOOTSTRAP=$(sed -n 's/.*"token":"\([^"]*\)".*/\1/p' "$BODY" | head -n 1)
[ -n "$BOOTSTRAP" ] || fail "no bootstrap token in $(cat "$BODY")"
expect "$(signed "$URL/realms/$REALM/purposed-tokens/bootstrap" "{\"token\":\"$BOOTSTRAP\",\"identity\":\"$DEVICE\",\"timestamp\":$(date +%s)}")" 200
echo "device $DEVICE bootstrapped: owner $OWNER, group $GROUP"
