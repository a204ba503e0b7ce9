import {
  AdminClientProvider,
  AppContexts,
  ForbiddenSection,
  Header,
  PageBreadCrumbs,
  useAccess,
  useWhoAmI,
} from "@keycloak/keycloak-admin-ui";
import type { AccessType } from "@keycloak/keycloak-admin-client/lib/defs/whoAmIRepresentation";
import { Banner, Flex, FlexItem, Page, Spinner } from "@patternfly/react-core";
import { ExclamationTriangleIcon } from "@patternfly/react-icons";
import { Suspense, useEffect, type PropsWithChildren } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useMatches } from "react-router-dom";
import { AlertsProvider } from "./alerts";
import { PageNav } from "./PageNav";

/** The stock banner for a temporary admin account (as the stock App shows it). */
const TemporaryAdminBanner = () => {
  const { t } = useTranslation();
  const { whoAmI } = useWhoAmI();
  if (!whoAmI.temporary) return null;
  return (
    <Banner screenReaderText={t("loggedInAsTempAdminUser")} color="gold">
      <ExclamationTriangleIcon className="pf-v5-u-mr-sm" />
      {t("loggedInAsTempAdminUser")}
    </Banner>
  );
};

/** The stock route guard: every matched route's handle.access must be held, else the stock "forbidden" page. */
const AuthenticatedRoute = ({ children }: PropsWithChildren) => {
  const matches = useMatches();
  const { hasAccess } = useAccess();
  const needed = matches.flatMap(({ handle }) => {
    if (typeof handle !== "object" || handle === null || !("access" in handle)) return [];
    const access = (handle as { access: AccessType | AccessType[] }).access;
    return Array.isArray(access) ? access : [access];
  });
  return hasAccess(...needed) ? <>{children}</> : <ForbiddenSection permissionNeeded={needed} />;
};

/**
 * The stock console's frame, rebuilt from the exported pieces of @keycloak/keycloak-admin-ui 26.7.3 (its App,
 * which is exported too, has a fixed sidebar): admin client, the stock contexts (realm, server info, who-am-I,
 * recent realms, access, sub-groups), header, breadcrumbs, and the pack's PageNav (the stock sections plus
 * "IoT tokens").
 */
export const App = () => {
  // the stock App drops an empty "#/" so the console opens the default realm's page
  const emptyHash = location.href.endsWith("#/");
  useEffect(() => {
    if (emptyHash) history.replaceState(null, "", location.pathname);
  }, [emptyHash]);
  return (
    <AdminClientProvider>
      <AppContexts>
        <AlertsProvider>
          <Flex
            direction={{ default: "column" }}
            flexWrap={{ default: "nowrap" }}
            spaceItems={{ default: "spaceItemsNone" }}
            style={{ height: "100%" }}
          >
            <FlexItem>
              <TemporaryAdminBanner />
            </FlexItem>
            <FlexItem grow={{ default: "grow" }} style={{ minHeight: 0 }}>
              <Page
                header={<Header />}
                isManagedSidebar
                sidebar={<PageNav />}
                breadcrumb={<PageBreadCrumbs />}
                mainContainerId="kc-main-content-page-container"
              >
                <Suspense fallback={<Spinner />}>
                  <AuthenticatedRoute>
                    <Outlet />
                  </AuthenticatedRoute>
                </Suspense>
              </Page>
            </FlexItem>
          </Flex>
        </AlertsProvider>
      </AppContexts>
    </AdminClientProvider>
  );
};
