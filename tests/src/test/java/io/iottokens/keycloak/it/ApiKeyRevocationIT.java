package io.iottokens.keycloak.it;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.iottokens.keycloak.it.support.Api;
import io.iottokens.keycloak.it.support.KeyRevocationRounds;
import io.iottokens.keycloak.it.support.KeyRevocationRounds.Change;
import io.iottokens.keycloak.it.support.KeycloakExtension;

/**
 * A key's tokens die with it, even those of grants and refreshes racing the change: rounds of 32 uses released
 * together with a suspend, revoke, delete or rotation, after which nothing they obtained works, and after a suspend
 * resuming brings none of it back (see {@link KeyRevocationRounds}). The two-node and PostgreSQL versions run in
 * {@code ApiKeysClusterIT}.
 */
@ExtendWith(KeycloakExtension.class)
class ApiKeyRevocationIT {

    private static final int ROUNDS = 4;

    @ParameterizedTest
    @EnumSource(Change.class)
    void nothingObtainedBeforeTheChangeAnsweredWorksAfterIt(Change change, Api api) throws Exception {
        new KeyRevocationRounds(api, api).run(change, ROUNDS);
    }
}
