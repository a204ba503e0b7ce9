package io.iottokens.keycloak.edge;

import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.util.DPoPUtil;

/**
 * For sessions created by the edge-token exchange: adds {@code node_id} and, when the node has a registered
 * key, binds the token to it ({@code cnf.jkt} = RFC 7638 thumbprint of the key, token type {@code DPoP}).
 * Keycloak then enforces the binding wherever it checks bearer tokens (a DPoP proof signed by the node's key
 * is required) and on refresh, because a public client's refresh token inherits the access token's
 * {@code cnf}. Runs on every token of the session, refreshed ones included; other sessions pass untouched.
 */
public final class EdgeProtocolMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "iottokens-edge-mapper";
    public static final String CLAIM_NODE_ID = "node_id";
    static final String NOTE_NODE_ID = "iottokens.edge.node_id";
    static final String NOTE_JKT = "iottokens.edge.jkt";

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Edge token (node_id and key binding)";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Required on clients that issue edge tokens (edge-cli): adds node_id and binds tokens of nodes with a registered key to that key (cnf.jkt), on refresh too.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public int getPriority() {
        return 1000;
    }

    @Override
    public AccessToken transformAccessToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                            UserSessionModel userSession, ClientSessionContext ctx) {
        return apply(token, userSession);
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext ctx) {
        return apply(token, userSession);
    }

    @Override
    public AccessToken transformUserInfoToken(AccessToken token, ProtocolMapperModel model, KeycloakSession session,
                                              UserSessionModel userSession, ClientSessionContext ctx) {
        String nodeId = userSession == null ? null : userSession.getNote(NOTE_NODE_ID);
        if (nodeId != null) {
            token.getOtherClaims().put(CLAIM_NODE_ID, nodeId);
        }
        return token;
    }

    private static AccessToken apply(AccessToken token, UserSessionModel userSession) {
        String nodeId = userSession == null ? null : userSession.getNote(NOTE_NODE_ID);
        if (nodeId == null) {
            return token;
        }
        token.getOtherClaims().put(CLAIM_NODE_ID, nodeId);
        String jkt = userSession.getNote(NOTE_JKT);
        if (jkt != null) {
            AccessToken.Confirmation cnf = token.getConfirmation();
            if (cnf == null) {
                cnf = new AccessToken.Confirmation();
                token.setConfirmation(cnf);
            }
            cnf.setKeyThumbprint(jkt);
            cnf.setJktType(DPoPUtil.DPOP_JKT_TYPE);
            token.type(DPoPUtil.DPOP_TOKEN_TYPE);
        }
        return token;
    }
}
