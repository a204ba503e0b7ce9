import type { routes } from "@keycloak/keycloak-admin-ui";
import { lazy } from "react";

/** The stock route type (AppRouteObject, not exported by name). */
export type AppRouteObject = (typeof routes)[number];

const ApiKeys = lazy(() => import("./ApiKeys"));
const Devices = lazy(() => import("./Devices"));
const PurposedTokens = lazy(() => import("./PurposedTokens"));
const TenantGrants = lazy(() => import("./TenantGrants"));
const Settings = lazy(() => import("./Settings"));

/**
 * The pack's pages, shaped like the stock routes (a realm parameter first, the access the page needs, the
 * breadcrumb), so the stock route guard, breadcrumbs and nav checks apply to them too.
 */
export const iotRoutes: AppRouteObject[] = [
  {
    path: "/:realm/iot/api-keys",
    element: <ApiKeys />,
    handle: { access: "view-users", breadcrumb: (t) => t("iotApiKeys") },
  },
  {
    path: "/:realm/iot/devices",
    element: <Devices />,
    handle: { access: "query-users", breadcrumb: (t) => t("iotDevices") },
  },
  {
    path: "/:realm/iot/purposed-tokens",
    element: <PurposedTokens />,
    handle: { access: "view-users", breadcrumb: (t) => t("iotPurposedTokens") },
  },
  {
    path: "/:realm/iot/tenant-grants",
    element: <TenantGrants />,
    handle: { access: "view-realm", breadcrumb: (t) => t("iotTenantGrants") },
  },
  {
    path: "/:realm/iot/settings",
    element: <Settings />,
    handle: { access: "view-realm", breadcrumb: (t) => t("iotSettings") },
  },
];
