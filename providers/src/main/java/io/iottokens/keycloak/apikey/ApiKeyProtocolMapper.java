package io.iottokens.keycloak.apikey;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

import io.iottokens.keycloak.common.SessionNoteMapper;
import io.iottokens.keycloak.common.TokenKind;

/**
 * For sessions created by the API key grant: adds the claim {@code api_key_id} and cuts {@code realm_access}
 * down to the key's roles (client roles are dropped from a restricted token). It runs after every role
 * mapper (priority {@value SessionNoteMapper#PRIORITY}) and on every token of the session, refreshed ones included, which is
 * why the restriction lives here and not in the grant. Tokens of other sessions pass untouched.
 *
 * <p>A client that enables the API key grant must carry this mapper (the realm's {@code iot-api} does); the
 * grant refuses clients without it rather than issue tokens whose roles would widen on refresh.
 */
public final class ApiKeyProtocolMapper extends SessionNoteMapper implements OIDCIDTokenMapper {

    public static final String PROVIDER_ID = "iottokens-api-key-mapper";
    public static final String CLAIM = "api_key_id";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "API key (roles and api_key_id)";
    }

    @Override
    public String getHelpText() {
        return "Required on clients that enable the API key grant: adds api_key_id and cuts the roles of API key sessions down to the key's roles, on refresh too.";
    }

    @Override
    public IDToken transformIDToken(IDToken token, ProtocolMapperModel model, KeycloakSession session,
                                    UserSessionModel userSession, ClientSessionContext ctx) {
        String keyId = userSession == null ? null : userSession.getNote(ApiKeyService.NOTE_KEY_ID);
        if (keyId != null) {
            token.getOtherClaims().put(CLAIM, keyId);
        }
        return token;
    }

    @Override
    protected AccessToken apply(AccessToken token, UserSessionModel userSession) {
        String keyId = userSession == null ? null : userSession.getNote(ApiKeyService.NOTE_KEY_ID);
        if (keyId == null) {
            return token;
        }
        token.getOtherClaims().put(CLAIM, keyId);
        TokenKind.withoutAdminRoles(token);
        String roles = userSession.getNote(ApiKeyService.NOTE_ROLES);
        if (roles != null) {
            Set<String> allowed = Arrays.stream(roles.split(" ")).filter(r -> !r.isEmpty()).collect(Collectors.toSet());
            AccessToken.Access realmAccess = token.getRealmAccess();
            if (realmAccess != null && realmAccess.getRoles() != null) {
                Set<String> kept = realmAccess.getRoles().stream().filter(allowed::contains).collect(Collectors.toSet());
                realmAccess.roles(kept);
            }
            token.setResourceAccess(null);
        }
        return token;
    }
}
