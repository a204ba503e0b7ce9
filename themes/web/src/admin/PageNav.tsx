import { routes, useAccess, useRealm, useServerInfo } from "@keycloak/keycloak-admin-ui";
import { Label, Nav, NavGroup, NavList, PageSidebar, PageSidebarBody } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { environment } from "./environment";
import { iotRoutes } from "./routes";

/*
 * Why a PageNav of our own: the stock PageNav of @keycloak/keycloak-admin-ui 26.7.3 is a fixed list of sections.
 * Its only extension point (pages of UiPageProvider components under "Configure") exists only with the experimental
 * DECLARATIVE_UI feature, which this pack must not require, and it renders a generic component form, not pages.
 * So this nav renders the stock sections exactly as the stock one does (same ids, same access checks through the
 * exported hooks, same feature conditions) and adds the group "IoT tokens" with the pack's pages. When upgrading
 * Keycloak, compare it with the stock PageNav in node_modules/@keycloak/keycloak-admin-ui/lib/index-*.js
 * (search "keycloak__page_nav__nav").
 */

const allRoutes = [...routes, ...iotRoutes];

const LeftNav = ({ title, path, id }: { title: string; path: string; id?: string }) => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const { realm } = useRealm();
  const route = allRoutes.find((r) => r.path.replace(/\/:.+?(\?|(?:(?!\/).)*|$)/g, "") === (id || path));
  const access = route?.handle.access;
  if (!route || !access || !(Array.isArray(access) ? hasAccess(...access) : hasAccess(access))) return null;
  const navId = "nav-item" + path.replace(/\//g, "-");
  return (
    <li>
      <NavLink
        id={navId}
        data-testid={navId}
        to={`/${encodeURIComponent(realm)}${path}`}
        className={({ isActive }) => `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`}
      >
        {t(title)}
      </NavLink>
    </li>
  );
};

/** A feature of the server is on (the stock useIsFeatureEnabled, which is not exported). */
const useFeature = () => {
  const { features } = useServerInfo();
  const { hasSomeAccess } = useAccess();
  return (name: string) =>
    !!features?.some(
      (f) => f.enabled && f.name === name && (name !== "ORGANIZATION" || hasSomeAccess("manage-realm", "query-organizations")),
    );
};

const realmLabel = (t: (k: string) => string, displayName: string | undefined, realm: string) => {
  if (!displayName) return realm;
  const key = /^\$\{(.+)\}$/.exec(displayName);
  return key ? t(key[1]) : displayName;
};

export const PageNav = () => {
  const { t } = useTranslation();
  const { hasSomeAccess } = useAccess();
  const { realm, realmRepresentation } = useRealm();
  const feature = useFeature();
  const showManage = hasSomeAccess("view-realm", "query-groups", "query-users", "query-clients", "query-organizations", "view-events");
  const showConfigure = hasSomeAccess("view-realm", "query-clients", "view-identity-providers");
  const showWorkflows = hasSomeAccess("realm-admin", "admin") && feature("WORKFLOWS");
  const showIot = hasSomeAccess("view-users", "query-users", "view-realm");
  const isMaster = environment.masterRealm === environment.realm;
  return (
    <PageSidebar>
      <PageSidebarBody>
        <Nav className="keycloak__page_nav__nav">
          <NavList>
            <h2 className="pf-v5-c-nav__section-title" style={{ wordWrap: "break-word" }}>
              <span data-testid="currentRealm">{realmLabel(t, realmRepresentation?.displayName, realm)}</span>{" "}
              <Label color="blue">{t("currentRealm")}</Label>
            </h2>
            {isMaster ? (
              <NavGroup>
                <LeftNav title={t("manageRealms")} path="/realms" />
              </NavGroup>
            ) : null}
            {showManage ? (
              <NavGroup aria-label={t("manage")} title={t("manage")}>
                {feature("ORGANIZATION") && realmRepresentation?.organizationsEnabled ? (
                  <LeftNav title="organizations" path="/organizations" />
                ) : null}
                <LeftNav title="clients" path="/clients" />
                <LeftNav title="clientScopes" path="/client-scopes" />
                <LeftNav title="realmRoles" path="/roles" />
                <LeftNav title="users" path="/users" />
                <LeftNav title="groups" path="/groups" />
                <LeftNav title="sessions" path="/sessions" />
                <LeftNav title="events" path="/events" />
              </NavGroup>
            ) : null}
            {showConfigure ? (
              <NavGroup aria-label={t("configure")} title={t("configure")}>
                <LeftNav title="realmSettings" path="/realm-settings" />
                <LeftNav title="authentication" path="/authentication" />
                {feature("ADMIN_FINE_GRAINED_AUTHZ_V2") && realmRepresentation?.adminPermissionsEnabled ? (
                  <LeftNav title="permissions" path="/permissions" />
                ) : null}
                <LeftNav title="identityProviders" path="/identity-providers" />
                <LeftNav title="userFederation" path="/user-federation" />
                {showWorkflows ? <LeftNav title="workflows" path="/workflows" /> : null}
              </NavGroup>
            ) : null}
            {showIot ? (
              <NavGroup aria-label={t("iotTokens")} title={t("iotTokens")} data-testid="nav-group-iot">
                <LeftNav title="iotApiKeys" path="/iot/api-keys" />
                <LeftNav title="iotDevices" path="/iot/devices" />
                <LeftNav title="iotPurposedTokens" path="/iot/purposed-tokens" />
                <LeftNav title="iotTenantGrants" path="/iot/tenant-grants" />
                <LeftNav title="iotSettings" path="/iot/settings" />
              </NavGroup>
            ) : null}
          </NavList>
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
};
