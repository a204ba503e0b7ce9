package io.iottokens.keycloak.edge;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

import io.iottokens.keycloak.common.TokenKind;
import io.iottokens.keycloak.device.DeviceService;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * The edge sessions of a node and whether they still speak for it. Every edge exchange opens a session of its own
 * whose notes carry the node id and the node's release count at that moment ({@link DeviceEntity#getReleases}, read
 * under the node's row lock). Letting the node go (unassociate, forget, admin delete) counts up under the same lock
 * and ends the former owner's sessions of the node ({@link #end}, on the registry's
 * {@link io.iottokens.keycloak.device.DeviceReleased}, see {@link EdgeTokenGrantTypeFactory}), so a token issued before
 * is dead twice over: its session is gone, and a session that escaped the ending (opened by an exchange that raced the
 * release) carries an old count.
 */
public final class EdgeSessions {

    private static final Logger LOG = Logger.getLogger(EdgeSessions.class);

    /** User-session note: the node's release count when the session was opened. */
    static final String NOTE_RELEASES = "iottokens.edge.releases";

    private EdgeSessions() {
    }

    /**
     * Ends {@code userId}'s edge sessions of the node. They are found among that user's sessions (one lookup of the
     * user's sessions, filtered by the node note): Keycloak offers no index on session notes, and its broker-user
     * index resolves through identity-provider links that edge sessions do not have.
     */
    public static int end(KeycloakSession session, RealmModel realm, String userId, String nodeId) {
        UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            return 0;
        }
        List<UserSessionModel> mine = session.sessions().getUserSessionsStream(realm, user)
                .filter(s -> TokenKind.EDGE_GRANT.equals(s.getNote(TokenKind.NOTE_GRANT)))
                .filter(s -> nodeId.equals(s.getNote(EdgeProtocolMapper.NOTE_NODE_ID)))
                .toList();
        mine.forEach(s -> session.sessions().removeUserSession(realm, s));
        if (!mine.isEmpty()) {
            LOG.debugf("Ended %d edge session(s) of node %s", mine.size(), nodeId);
        }
        return mine.size();
    }

    /**
     * Whether an edge session still speaks for its node: the node has not been let go since the session was opened
     * (same release count; a node without a row has count 0) and, if {@code ownerMustMatch} and the node has an owner,
     * it is the session's user. At the pack's own endpoints (associate, unassociate) the owner is not part of the
     * check: there another account's token gets the contract's 409 from the service, under the node's row lock.
     */
    static boolean current(KeycloakSession session, RealmModel realm, UserSessionModel userSession, boolean ownerMustMatch) {
        String nodeId = userSession == null ? null : userSession.getNote(EdgeProtocolMapper.NOTE_NODE_ID);
        if (nodeId == null) {
            return false;
        }
        DeviceEntity node = new DeviceService(session).byDeviceId(realm, nodeId);
        long releases = node == null ? 0 : node.getReleases();
        if (!String.valueOf(releases).equals(notedReleases(userSession))) {
            return false;
        }
        return !ownerMustMatch || node == null || node.getOwnerId() == null || node.getOwnerId().equals(userSession.getUser().getId());
    }

    /** Sessions opened before the count existed carry no note: they count as 0, so the node's next release ends them. */
    private static String notedReleases(UserSessionModel userSession) {
        String noted = userSession.getNote(NOTE_RELEASES);
        return noted == null ? "0" : noted;
    }

    /** The release count an edge session was opened under, or null for no session (or an unreadable note). */
    public static Long releases(UserSessionModel userSession) {
        if (userSession == null) {
            return null;
        }
        try {
            return Long.valueOf(notedReleases(userSession));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Called by the exchange for the session it opens: the node's current count, read under the node's row lock. */
    static void note(UserSessionModel userSession, long releases) {
        userSession.setNote(NOTE_RELEASES, String.valueOf(releases));
    }
}
