package io.iottokens.keycloak.device;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderEvent;

/**
 * A device was let go (its owner unassociated or forgot it) or deleted by an administrator. Published by
 * {@link DeviceService} through the session factory, synchronously, inside the transaction of the change and under
 * the device's row lock, so a listener's work commits or rolls back with the change. The edge feature listens: it ends
 * the former owner's edge sessions of the node (see the README's edge-token section), which is how a release
 * revokes the node's edge tokens at once. The device registry itself knows nothing of edge sessions.
 *
 * @param session       the session of the change (listeners work in it, never in a session of their own)
 * @param realm         the device's realm
 * @param formerOwnerId the owner before the change; null when the device had none
 * @param deviceId      the device's own id (the node id)
 */
public record DeviceReleased(KeycloakSession session, RealmModel realm, String formerOwnerId, String deviceId)
        implements ProviderEvent {
}
