import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import { Label, LabelGroup, PageSection } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc } from "../shared/api";
import { ListView } from "../shared/list";
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { FilterForm, Owner, short, useAdminApi, useAdminRun, useUsernames } from "./common";

type PurposedToken = {
  id: string;
  ownerId: string;
  category: "purposed_claim" | "bootstrap";
  purpose: string;
  scopes: string[];
  targetIdentities: string[];
  targetGroups: string[];
  createdAt: string;
  notBefore?: string | null;
  expiresAt?: string | null;
};

const Labels = ({ values, color }: { values: string[]; color: "blue" | "purple" | "cyan" }) =>
  values.length ? (
    <LabelGroup numLabels={4}>
      {values.map((v) => (
        <Label key={v} color={color} isCompact>
          {v}
        </Label>
      ))}
    </LabelGroup>
  ) : (
    <>—</>
  );

/** Every user's purposed tokens (never their values), or one user's; revoke one. */
export default function PurposedTokens() {
  const { t } = useTranslation();
  const api = useAdminApi();
  const paging = usePaging();
  const [user, setUser] = useState("");
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (user) q.set("user", user);
      return api.get<PurposedToken[]>(`/purposed-tokens?${q}`, signal);
    },
    [api.realm, user, paging.first, paging.max],
  );
  const username = useUsernames((data ?? []).slice(0, paging.perPage).map((p) => p.ownerId));
  const run = useAdminRun(reload);
  const revoke = (p: PurposedToken) =>
    run(() => api.send("DELETE", `/purposed-tokens/${enc(p.id)}`), t("iotPurposedRevoked", { purpose: p.purpose }));

  return (
    <>
      <ViewHeader titleKey="iotPurposedTokens" subKey="iotPurposedTokensHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <ListView<PurposedToken>
          label={t("iotPurposedTokens")}
          testId="purposed-tokens"
          buttons={
            <FilterForm
              filters={[{ id: "user", label: t("iotFilterUser"), placeholder: t("iotFilterUserPlaceholder") }]}
              onApply={(f) => {
                paging.reset();
                setUser(f.user);
              }}
            />
          }
          pager={paging.pager(data?.length ?? 0, "iot-purposed-pager")}
          error={error}
          rows={data}
          perPage={paging.perPage}
          empty={t("iotPurposedNone")}
          actionsLabel={t("iotActions")}
          rowKey={(p) => p.id}
          rowTestId={(p) => `purposed-${p.id}`}
          columns={[
            {
              title: t("iotPurposedPurpose"),
              cell: (p) => (
                <>
                  {p.purpose}
                  <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">
                    <code>{p.id}</code>
                  </div>
                </>
              ),
            },
            { title: t("iotOwner"), cell: (p) => <Owner id={p.ownerId} name={username(p.ownerId)} /> },
            {
              title: t("iotPurposedCategory"),
              cell: (p) => (
                <Label color={p.category === "bootstrap" ? "orange" : "grey"} isCompact>
                  {t(`iotPurposedCategory_${p.category}`)}
                </Label>
              ),
            },
            { title: t("iotPurposedScopes"), cell: (p) => <Labels values={p.scopes} color="blue" /> },
            {
              title: t("iotPurposedTargets"),
              cell: (p) => <Labels values={[...p.targetIdentities, ...p.targetGroups.map((g) => `group:${g}`)]} color="purple" />,
            },
            {
              title: t("iotPurposedValid"),
              cell: (p) => (
                <span className="pf-v5-u-font-size-sm">
                  <div>{short(p.notBefore ?? p.createdAt)} –</div>
                  <div>{p.expiresAt ? short(p.expiresAt) : t("iotNever")}</div>
                </span>
              ),
            },
          ]}
          actions={(p) => (
            <ConfirmButton
              testId="revoke"
              danger
              label={t("iotRevoke")}
              title={t("iotPurposedRevokeTitle", { purpose: p.purpose })}
              body={t("iotPurposedRevokeBody")}
              confirm={t("iotRevoke")}
              onConfirm={() => revoke(p)}
            />
          )}
        />
      </PageSection>
    </>
  );
}
