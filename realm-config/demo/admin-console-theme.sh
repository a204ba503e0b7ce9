#!/usr/bin/env sh
# Shows the pack's "IoT tokens" pages in the admin console of the master realm: sets the master realm's admin
# theme to iot-tokens (Keycloak's admin console rebuilt with the pack's pages; every stock page stays). The iot
# realm's import sets it for that realm's own console. Leaves a master realm whose admin theme an operator already
# set to something else as it is. run-keycloak.sh runs it once Keycloak answers; the same by hand:
#   KC_URL=http://localhost:8080 KC_ADMIN=admin KC_ADMIN_PASSWORD=admin realm-config/demo/admin-console-theme.sh
# or: kcadm.sh update realms/master -s adminTheme=iot-tokens
set -eu
. "$(dirname "$0")/demo-lib.sh"
expect "$(call GET "$URL/admin/realms/master" "$MASTER")" 200
# adminTheme is a top-level member of the realm (no nested object has one); field() reads only the first object
current=$(sed -n 's/.*"adminTheme":"\([^"]*\)".*/\1/p' "$BODY" | head -n 1)
if [ -n "$current" ] && [ "$current" != "iot-tokens" ]; then
  echo "master realm admin theme is $current: left as it is"
  exit 0
fi
expect "$(call PUT "$URL/admin/realms/master" "$MASTER" '{"adminTheme":"iot-tokens"}')" 204
echo "master realm admin theme: iot-tokens"
