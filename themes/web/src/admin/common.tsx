import { useEnvironment, useRealm } from "@keycloak/keycloak-admin-ui";
import { Alert, Button, Form, FormGroup, FormSelect, FormSelectOption, TextInput } from "@patternfly/react-core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { call, enc, message } from "../shared/api";
import { useIotAlerts } from "./alerts";
import { adminRealmUrl } from "./environment";

/**
 * The pack's admin REST of the realm selected in the console, called with the console's own keycloak-js instance
 * (the administrator's master-realm token: no second login).
 */
export function useAdminApi() {
  const { keycloak } = useEnvironment();
  const { realm } = useRealm();
  const base = adminRealmUrl(realm);
  return {
    realm,
    base,
    get: <T,>(path: string, signal?: AbortSignal) => call<T>(keycloak, base + path, { signal }),
    send: <T,>(method: string, path: string, body?: unknown) => call<T>(keycloak, base + path, { method, body }),
  };
}

/** A load error, with the server's description. */
export const LoadError = ({ error }: { error: unknown }) => {
  const { t } = useTranslation();
  return error ? (
    <Alert variant="danger" isInline title={t("iotErrorTitle")} data-testid="load-error" className="pf-v5-u-mb-md">
      {message(error)}
    </Alert>
  ) : null;
};

/** "users/{id}" -> username, "groups/{id}" -> path, for the rows on a page (one lookup each, remembered). */
const names = new Map<string, string | null>();

function useNames(kind: "users" | "groups", ids: (string | undefined)[], pick: (o: Record<string, string>) => string) {
  const api = useAdminApi();
  const [, setVersion] = useState(0);
  const k = (id: string) => `${api.realm}/${kind}/${id}`;
  const wanted = [...new Set(ids.filter((i): i is string => !!i && !names.has(k(i))))];
  const key = wanted.join(",");
  useEffect(() => {
    if (!wanted.length) return;
    Promise.all(
      wanted.map((id) =>
        api
          .get<Record<string, string>>(`/${kind}/${enc(id)}`)
          .then((o) => names.set(k(id), pick(o)))
          .catch(() => names.set(k(id), null)),
      ),
    ).then(() => setVersion((v) => v + 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, api.realm]);
  return (id?: string) => (id ? names.get(k(id)) : undefined);
}

export const useUsernames = (ids: (string | undefined)[]) => useNames("users", ids, (u) => u.username);
export const useGroupPaths = (ids: (string | undefined)[]) => useNames("groups", ids, (g) => g.path ?? g.name);

/** The owner as a link to the stock user page, by username once known. */
export const Owner = ({ id, name }: { id?: string; name?: string | null }) => {
  const { realm } = useRealm();
  const { t } = useTranslation();
  if (!id) return <>{t("iotNoOwner")}</>;
  return (
    <Link to={`/${encodeURIComponent(realm)}/users/${encodeURIComponent(id)}/settings`} data-testid="owner">
      {name ?? id}
    </Link>
  );
};


/** A time in the administrator's locale, short ("12/1/26, 10:37 AM"); an em dash for none. */
export const short = (iso?: string | null) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" }) : "—";

/** One filter of a list page: a text field, or a choice when {@code options} are given ("" = any). */
export type Filter = { id: string; label: string; placeholder?: string; options?: { value: string; label: string }[] };

/**
 * The filters of a list page, applied together by one button (the lists are paged on the server, so each change of
 * filter asks again from the first page).
 */
export function FilterForm({ filters, onApply }: { filters: Filter[]; onApply: (values: Record<string, string>) => void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, string>>({});
  const set = (id: string, v: string) => setValues({ ...values, [id]: v });
  return (
    <Form
      className="pf-v5-u-display-flex pf-v5-u-flex-direction-row pf-v5-u-align-items-flex-end"
      style={{ gap: "var(--pf-v5-global--spacer--md)" }}
      onSubmit={(e) => {
        e.preventDefault();
        onApply(Object.fromEntries(filters.map((f) => [f.id, (values[f.id] ?? "").trim()])));
      }}
    >
      {filters.map((f) => (
        <FormGroup key={f.id} label={f.label} fieldId={`iot-filter-${f.id}`}>
          {f.options ? (
            <FormSelect id={`iot-filter-${f.id}`} data-testid={`filter-${f.id}`} value={values[f.id] ?? ""} onChange={(_, v) => set(f.id, v)}>
              {f.options.map((o) => (
                <FormSelectOption key={o.value} value={o.value} label={o.label} />
              ))}
            </FormSelect>
          ) : (
            <TextInput
              id={`iot-filter-${f.id}`}
              data-testid={`filter-${f.id}`}
              value={values[f.id] ?? ""}
              placeholder={f.placeholder}
              onChange={(_, v) => set(f.id, v)}
            />
          )}
        </FormGroup>
      ))}
      <Button type="submit" data-testid="filter-apply">
        {t("iotFilterApply")}
      </Button>
    </Form>
  );
}

/** Runs a page action: the success as a toast, a refusal with the server's description, then the list again. */
export function useAdminRun(reload: () => void) {
  const { addAlert, addError } = useIotAlerts();
  return async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      addAlert(done);
    } catch (e) {
      addError(e);
    }
    reload();
  };
}
