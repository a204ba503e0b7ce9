package io.iottokens.keycloak.common;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;

/** Whether a client's tokens pass through a given protocol mapper (on the client or one of its client scopes). */
public final class ClientMappers {

    private ClientMappers() {
    }

    public static boolean has(ClientModel client, String mapperProviderId) {
        if (client.getProtocolMappersStream().anyMatch(m -> mapperProviderId.equals(m.getProtocolMapper()))) {
            return true;
        }
        return client.getClientScopes(true).values().stream()
                .flatMap(ClientScopeModel::getProtocolMappersStream)
                .anyMatch(m -> mapperProviderId.equals(m.getProtocolMapper()));
    }
}
