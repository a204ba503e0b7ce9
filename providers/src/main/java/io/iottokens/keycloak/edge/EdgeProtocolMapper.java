package io.iottokens.keycloak.edge;

import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.util.DPoPUtil;

import io.iottokens.keycloak.common.SessionNoteMapper;
import io.iottokens.keycloak.common.TokenKind;

/**
 * For sessions created by the edge-token exchange: adds {@code node_id} and, when the node has a registered
 * key, binds the token to it ({@code cnf.jkt} = RFC 7638 thumbprint of the key, token type {@code DPoP}).
 * Keycloak then enforces the binding wherever it checks bearer tokens (a DPoP proof signed by the node's key
 * is required) and on refresh, because a public client's refresh token inherits the access token's
 * {@code cnf}. Runs on every token of the session, refreshed ones included; other sessions pass untouched.
 */
public final class EdgeProtocolMapper extends SessionNoteMapper {

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
    public String getHelpText() {
        return "Required on clients that issue edge tokens (edge-cli): adds node_id and binds tokens of nodes with a registered key to that key (cnf.jkt), on refresh too.";
    }

    /** Userinfo shows {@code node_id}; the key binding belongs to the access token only. */
    @Override
    protected AccessToken applyUserInfo(AccessToken token, UserSessionModel userSession) {
        String nodeId = userSession == null ? null : userSession.getNote(NOTE_NODE_ID);
        if (nodeId != null) {
            token.getOtherClaims().put(CLAIM_NODE_ID, nodeId);
        }
        return token;
    }

    @Override
    protected AccessToken apply(AccessToken token, UserSessionModel userSession) {
        String nodeId = userSession == null ? null : userSession.getNote(NOTE_NODE_ID);
        if (nodeId == null) {
            return token;
        }
        token.getOtherClaims().put(CLAIM_NODE_ID, nodeId);
        TokenKind.withoutAdminRoles(token);
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
