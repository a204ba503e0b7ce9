import { createInstance } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
import { environment } from "./environment";

type KeyValue = { key: string; value: string };

/**
 * The admin theme's messages as Keycloak serves them (the stock messages plus the pack's, from
 * theme/iot-tokens/admin/messages), configured as the stock console's own instance: the namespace is the realm the
 * administrator signed in to, keys may contain dots. The stock console then loads the selected realm's messages as
 * its namespace (that realm's admin theme, which may be another one): the signed-in realm's namespace, served by
 * this theme, is the fallback, so the pack's texts are found whichever realm is selected.
 */
export const i18n = createInstance({
  fallbackLng: "en",
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  defaultNS: [environment.realm],
  ns: [environment.realm],
  fallbackNS: environment.realm,
  backend: {
    loadPath: `${environment.adminBaseUrl}/resources/{{ns}}/admin/{{lng}}`,
    parse: (data: string) =>
      Object.fromEntries((JSON.parse(data) as KeyValue[]).map(({ key, value }) => [key, value])),
  },
});

i18n.use(FetchBackend);
i18n.use(initReactI18next);
