package io.iottokens.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * A resource of the pack under {@code /admin/realms/{realm}/<id>}: Keycloak authenticates the administrator; the
 * resource checks permissions ({@link Admin#auth}) and records each change ({@link Admin#events}, see
 * {@link AdminEvents}). The factory is its own provider and holds nothing per request.
 */
public abstract class AdminResourceFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider,
        NoLifecycle<AdminRealmResourceProvider> {

    /** One administrator's request: the session, the realm, the administrator's permissions and the admin-event builder. */
    public record Admin(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder events) {
    }

    private final String id;

    protected AdminResourceFactory(String id) {
        this.id = id;
    }

    /** The JAX-RS resource serving one request. */
    protected abstract Object resource(Admin admin);

    @Override
    public final Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        return resource(new Admin(session, realm, auth, adminEvent));
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public void close() {
    }
}
