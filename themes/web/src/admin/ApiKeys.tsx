import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Label,
  PageSection,
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc } from "../shared/api";
import { KeyActions, KeySecretOnce } from "../shared/KeyActions";
import { ListView } from "../shared/list";
import { useLoad, usePaging } from "../shared/ui";
import { FilterForm, Owner, short, useAdminApi, useAdminRun, useUsernames } from "./common";

type Status = "active" | "suspended" | "revoked" | "expired";
type ApiKey = {
  id: string;
  key: string;
  memo?: string;
  status: Status;
  roles?: string[];
  userId: string;
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
  rotatedAt?: string;
  previousSecretValidUntil?: string;
};
type WithSecret = ApiKey & { secret: string };

const statuses: Status[] = ["active", "suspended", "revoked", "expired"];
const statusColor = { active: "green", suspended: "orange", revoked: "red", expired: "grey" } as const;

/** Every user's API keys (or one user's, or one status): suspend, resume, rotate, revoke, delete. */
export default function ApiKeys() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const paging = usePaging();
  const [filter, setFilter] = useState<Record<string, string>>({});
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (filter.user) q.set("user", filter.user);
      if (filter.status) q.set("status", filter.status);
      return api.get<ApiKey[]>(`/api-keys?${q}`, signal);
    },
    [api.realm, filter.user, filter.status, paging.first, paging.max],
  );
  const username = useUsernames((data ?? []).slice(0, paging.perPage).map((k) => k.userId));
  const [secret, setSecret] = useState<WithSecret>();

  const run = useAdminRun(reload);
  const act = (k: ApiKey, action: "suspend" | "resume" | "revoke" | "rotate", body?: unknown) =>
    run(async () => {
      const changed = await api.send<ApiKey | WithSecret>("POST", `/api-keys/${enc(k.id)}/${action}`, body);
      if ("secret" in changed) setSecret(changed);
    }, t(`iotApiKeyDone_${action}`, { key: k.key }));
  const remove = (k: ApiKey) => run(() => api.send("DELETE", `/api-keys/${enc(k.id)}`), t("iotApiKeyDone_delete", { key: k.key }));

  return (
    <>
      <ViewHeader titleKey="iotApiKeys" subKey="iotApiKeysHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <ListView<ApiKey>
          label={t("iotApiKeys")}
          testId="api-keys"
          buttons={
            <FilterForm
              filters={[
                { id: "user", label: t("iotFilterUser"), placeholder: t("iotFilterUserPlaceholder") },
                {
                  id: "status",
                  label: t("iotFilterStatus"),
                  options: [{ value: "", label: t("iotAnyStatus") }, ...statuses.map((s) => ({ value: s, label: t(`iotStatus_${s}`) }))],
                },
              ]}
              onApply={(f) => {
                paging.reset();
                setFilter(f);
              }}
            />
          }
          pager={paging.pager(data?.length ?? 0, "iot-api-keys-pager")}
          error={error}
          rows={data}
          perPage={paging.perPage}
          empty={t("iotApiKeysNone")}
          actionsLabel={t("iotActions")}
          rowKey={(k) => k.id}
          rowTestId={(k) => `key-${k.key}`}
          columns={[
            {
              title: t("iotApiKeyKey"),
              cell: (k) => (
                <>
                  <code>{k.key}</code>
                  {k.memo ? <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{k.memo}</div> : null}
                </>
              ),
            },
            { title: t("iotOwner"), cell: (k) => <Owner id={k.userId} name={username(k.userId)} /> },
            {
              title: t("iotStatus"),
              cell: (k) => (
                <Label color={statusColor[k.status]} data-testid="key-status">
                  {t(`iotStatus_${k.status}`)}
                </Label>
              ),
            },
            { title: t("iotApiKeyRoles"), cell: (k) => (k.roles?.length ? k.roles.join(", ") : t("iotApiKeyAllRoles")) },
            { title: t("iotCreated"), cell: (k) => short(k.createdAt) },
            { title: t("iotExpires"), cell: (k) => (k.expiresAt ? short(k.expiresAt) : t("iotNever")) },
            { title: t("iotApiKeyLastUsed"), cell: (k) => short(k.lastUsedAt) },
          ]}
          actions={(k) => <KeyActions k={k} act={act} remove={remove} />}
        />
      </PageSection>
      {secret ? <KeySecretOnce k={secret} onClose={() => setSecret(undefined)} /> : null}
    </>
  );
}
