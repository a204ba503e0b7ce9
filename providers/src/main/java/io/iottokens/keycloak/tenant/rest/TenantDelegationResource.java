package io.iottokens.keycloak.tenant.rest;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import io.iottokens.keycloak.common.AdminEvents;
import io.iottokens.keycloak.common.BearerPolicy;
import io.iottokens.keycloak.common.JsonBody;
import io.iottokens.keycloak.common.NoStore;
import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RestCors;
import io.iottokens.keycloak.common.RestEdge;
import io.iottokens.keycloak.tenant.StatelessTokens;
import io.iottokens.keycloak.tenant.TenantFeature;
import io.iottokens.keycloak.tenant.TenantGrantService;
import io.iottokens.keycloak.tenant.TenantSettings;
import io.iottokens.keycloak.tenant.TenantTokens;
import io.iottokens.keycloak.tenant.jpa.TenantGrantEntity;

/**
 * {@code /realms/{realm}/tenant-delegation} (README "Tenant delegation", Siemens Token Management Service). Tenants are
 * Organizations. Their admins (organization members with realm role {@value #TENANT_ADMIN}, or realm
 * administrators) grant applications an access level; applications list their tenants and fetch tenant
 * tokens, up to the batch limit per request, all or nothing.
 */
public final class TenantDelegationResource {

    public static final String TENANT_ADMIN = "tenant-admin";
    static final int MAX_BODY_BYTES = GrantPut.MAX_BODY_BYTES;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final TenantFeature feature;
    private final TenantGrantService service;

    TenantDelegationResource(KeycloakSession session, TenantFeature feature) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.feature = feature;
        this.service = new TenantGrantService(session, feature);
    }

    // ---- the tenant admin's side ------------------------------------------------------------------

    @GET
    @Path("tenants/{org}/grants")
    @Produces(MediaType.APPLICATION_JSON)
    public Response listGrants(@PathParam("org") String orgRef, @QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> {
            Admin admin = tenantAdmin(orgRef);
            return NoStore.ok(service.byTenant(admin.tenant(), Paging.of(first, max)).stream().map(this::representation).toList());
        });
    }

    @GET
    @Path("tenants/{org}/grants/{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response getGrant(@PathParam("org") String orgRef, @PathParam("clientId") String clientId) {
        return RestEdge.call(session, () -> {
            Admin admin = tenantAdmin(orgRef);
            return NoStore.ok(representation(existing(admin.tenant(), clientId)));
        });
    }

    /** {@code {"accessLevel", "scopes"?}}: creates (201) or changes (200) the tenant's grant to the application. */
    @PUT
    @Path("tenants/{org}/grants/{clientId}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response putGrant(@PathParam("org") String orgRef, @PathParam("clientId") String clientId, InputStream body) {
        return RestEdge.call(session, () -> doPutGrant(orgRef, clientId, body));
    }

    private Response doPutGrant(String orgRef, String clientId, InputStream body) {
        Admin admin = tenantAdmin(orgRef);
        return GrantPut.put(session, realm, service, admin.tenant(), clientId, body, admin.auth().getUser().getId(), events(admin), false);
    }

    @DELETE
    @Path("tenants/{org}/grants/{clientId}")
    public Response revokeGrant(@PathParam("org") String orgRef, @PathParam("clientId") String clientId) {
        return RestEdge.call(session, () -> {
            Admin admin = tenantAdmin(orgRef);
            TenantGrantEntity g = existing(admin.tenant(), clientId);
            TenantGrantRepresentation rep = TenantGrantRepresentation.revoked(session, realm, service, g);
            if (!service.revoke(realm.getClientByClientId(clientId), g)) {
                throw PackException.notFound("Grant not found");
            }
            rep.recordChange(events(admin), OperationType.DELETE);
            return Response.noContent().build();
        });
    }

    // ---- the application's side -------------------------------------------------------------------

    /** The enabled tenants that granted the calling application access, paged; a disabled tenant is not listed. */
    @GET
    @Path("authorized-tenants")
    @Produces(MediaType.APPLICATION_JSON)
    public Response authorizedTenants(@QueryParam("first") String first, @QueryParam("max") String max) {
        return RestEdge.call(session, () -> doAuthorizedTenants(first, max));
    }

    private Response doAuthorizedTenants(String first, String max) {
        App app = application();
        OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
        List<AuthorizedTenantRepresentation> out = new ArrayList<>();
        for (TenantGrantEntity g : service.byApplication(app.client(), Paging.of(first, max))) {
            OrganizationModel org = orgs == null ? null : orgs.getById(g.getOrgId());
            if (org == null || !org.isEnabled()) {
                continue;
            }
            out.add(new AuthorizedTenantRepresentation(org.getId(), org.getAlias(), org.getName(), g.getAccessLevel(), service.scopes(realm, g)));
        }
        return NoStore.ok(out);
    }

    /** {@code {"tenants": [id or alias, ...]}} -> one token per tenant; all or nothing. */
    @POST
    @Path("tokens")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response tokens(InputStream body) {
        return RestEdge.call(session, () -> doTokens(body));
    }

    private Response doTokens(InputStream body) {
        App app = application();
        JsonBody json = JsonBody.read(body, MAX_BODY_BYTES, Set.of("tenants"), false);
        int limit = TenantSettings.batchLimit(realm);
        List<String> refs = json.strings("tenants", 1000, 255);
        if (refs == null || refs.isEmpty()) {
            throw PackException.badRequest("Field 'tenants' needs 1 to " + limit + " tenant ids or aliases");
        }
        if (refs.size() > limit) {
            throw PackException.badRequest("Field 'tenants': at most " + limit + " tenants per request");
        }
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.TOKEN_EXCHANGE)
                .client(app.client()).user(app.serviceAccount()).detail("auth_method", "tenant_delegation_batch");
        List<OrganizationModel> tenants = new ArrayList<>();
        List<TenantGrantEntity> grants = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<TenantGrantService.Granted> found = service.grantedAll(realm, app.client(), refs);
        for (int r = 0; r < refs.size(); r++) {
            String ref = refs.get(r);
            TenantGrantService.Granted granted = found.get(r);
            if (granted == null) {
                event.detail("tenant", ref).detail("reason", "not_granted").error("access_denied");
                throw PackException.forbidden("Tenant '" + abbreviate(ref) + "' has not granted this application access; no token was issued");
            }
            OrganizationModel org = granted.tenant();
            TenantGrantEntity g = granted.grant();
            if (!seen.add(org.getId())) {
                throw PackException.badRequest("Field 'tenants': tenant '" + abbreviate(ref) + "' is named twice");
            }
            tenants.add(org);
            grants.add(g);
        }
        List<TenantTokenBatchRepresentation.Token> tokens = new ArrayList<>();
        TenantTokens.Minter minter = new TenantTokens.Minter(session, realm, app.client(), app.serviceAccount());
        for (int i = 0; i < tenants.size(); i++) {
            OrganizationModel org = tenants.get(i);
            AccessTokenResponse res = minter.issue(org, grants.get(i), service.scopes(realm, grants.get(i)), event);
            tokens.add(new TenantTokenBatchRepresentation.Token(org.getAlias(), org.getId(), res.getToken(), res.getTokenType(),
                    res.getExpiresIn(), res.getScope()));
        }
        return NoStore.ok(new TenantTokenBatchRepresentation(tokens));
    }

    @OPTIONS
    @Path("{any:.*}")
    public Response preflight() {
        return RestCors.preflight();
    }

    // ---- who is calling ---------------------------------------------------------------------------

    private record Admin(AuthResult auth, OrganizationModel tenant) {
    }

    private record App(ClientModel client, UserModel serviceAccount) {
    }

    /**
     * A realm administrator (realm-management {@code manage-realm} in the token), or a member of the tenant with
     * the realm role {@value #TENANT_ADMIN}. Roles are read from the token, so a token with cut-down roles (an
     * API key's) cannot administer tenants. Not a member: 404; a member without the role: 403.
     */
    private Admin tenantAdmin(String orgRef) {
        AuthResult auth = BearerPolicy.TENANT_GRANTS.require(session);
        OrganizationModel org = service.tenant(realm, orgRef);
        if (org == null) {
            throw PackException.notFound("Tenant not found");
        }
        AccessToken token = auth.getToken();
        AccessToken.Access management = token.getResourceAccess(Constants.REALM_MANAGEMENT_CLIENT_ID);
        boolean realmAdmin = management != null && (management.isUserInRole("manage-realm") || management.isUserInRole("realm-admin"));
        if (!realmAdmin) {
            OrganizationProvider orgs = session.getProvider(OrganizationProvider.class);
            if (!orgs.isMember(org, auth.getUser())) {
                throw PackException.notFound("Tenant not found");
            }
            if (token.getRealmAccess() == null || !token.getRealmAccess().isUserInRole(TENANT_ADMIN)) {
                throw PackException.forbidden("The realm role '" + TENANT_ADMIN + "' is required to manage this tenant's grants");
            }
        }
        return new Admin(auth, org);
    }

    /** The calling application: a service-account token of an enabled confidential client with a service account. */
    private App application() {
        // service-account tokens are stateless: checked without the throw-away session of Keycloak's bearer check
        String header = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        StatelessTokens.Result stateless = bearer == null ? StatelessTokens.Result.NOT_STATELESS : feature.tokens().verify(session, realm, bearer);
        ClientModel client;
        String subject;
        if (!stateless.stateless()) {
            AuthResult auth = BearerPolicy.TENANT_APPLICATION.require(session);
            client = auth.getClient();
            subject = auth.getUser().getId();
        } else if (stateless.token() == null) {
            throw PackException.unauthorized("The bearer token is missing, invalid or expired");
        } else {
            BearerPolicy.TENANT_APPLICATION.check(session, stateless.token(), null);
            RestCors.allow(stateless.token());
            client = realm.getClientByClientId(stateless.token().getIssuedFor());
            subject = stateless.token().getSubject();
        }
        UserModel sa = client == null ? null : session.users().getServiceAccount(client);
        if (!TenantGrantService.isApplication(client) || !client.isEnabled() || sa == null || !sa.getId().equals(subject)) {
            throw PackException.forbidden("A service-account token of a confidential application is required");
        }
        return new App(client, sa);
    }

    private TenantGrantEntity existing(OrganizationModel org, String clientId) {
        ClientModel app = realm.getClientByClientId(clientId);
        TenantGrantEntity g = app == null ? null : service.grant(org, app);
        if (g == null) {
            throw PackException.notFound("Grant not found");
        }
        return g;
    }

    private TenantGrantRepresentation representation(TenantGrantEntity g) {
        return TenantGrantRepresentation.of(session, realm, service, g);
    }

    /** Self-service changes are admin events too, naming the tenant admin. */
    private org.keycloak.services.resources.admin.AdminEventBuilder events(Admin admin) {
        return AdminEvents.by(session, realm, admin.auth());
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
