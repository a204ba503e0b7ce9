import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { enc } from "../shared/api";
import { ConfirmButton, ShownOnce, useLoad, usePaging } from "../shared/ui";
import { useIotAlerts } from "./alerts";
import { LoadError, Owner, short, useAdminApi, useUsernames } from "./common";

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
  const { addAlert, addError } = useIotAlerts();
  const paging = usePaging();
  const [userInput, setUserInput] = useState("");
  const [statusInput, setStatusInput] = useState("");
  const [filter, setFilter] = useState({ user: "", status: "" });
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (filter.user) q.set("user", filter.user);
      if (filter.status) q.set("status", filter.status);
      return api.get<ApiKey[]>(`/api-keys?${q}`, signal);
    },
    [api.realm, filter.user, filter.status, paging.first, paging.max],
  );
  const rows = (data ?? []).slice(0, paging.perPage);
  const username = useUsernames(rows.map((k) => k.userId));
  const [secret, setSecret] = useState<WithSecret>();

  const act = async (k: ApiKey, action: "suspend" | "resume" | "revoke" | "rotate", body?: unknown) => {
    try {
      const changed = await api.send<ApiKey | WithSecret>("POST", `/api-keys/${enc(k.id)}/${action}`, body);
      if (action === "rotate" && "secret" in changed) setSecret(changed as WithSecret);
      addAlert(t(`iotApiKeyDone_${action}`, { key: k.key }));
    } catch (e) {
      addError(e);
    }
    reload();
  };
  const remove = async (k: ApiKey) => {
    try {
      await api.send("DELETE", `/api-keys/${enc(k.id)}`);
      addAlert(t("iotApiKeyDone_delete", { key: k.key }));
    } catch (e) {
      addError(e);
    }
    reload();
  };

  return (
    <>
      <ViewHeader titleKey="iotApiKeys" subKey="iotApiKeysHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Form
                isHorizontal={false}
                className="pf-v5-u-display-flex pf-v5-u-flex-direction-row pf-v5-u-align-items-flex-end"
                style={{ gap: "var(--pf-v5-global--spacer--md)" }}
                onSubmit={(e) => {
                  e.preventDefault();
                  paging.reset();
                  setFilter({ user: userInput.trim(), status: statusInput });
                }}
              >
                <FormGroup label={t("iotFilterUser")} fieldId="iot-filter-user">
                  <TextInput
                    id="iot-filter-user"
                    data-testid="filter-user"
                    value={userInput}
                    placeholder={t("iotFilterUserPlaceholder")}
                    onChange={(_, v) => setUserInput(v)}
                  />
                </FormGroup>
                <FormGroup label={t("iotFilterStatus")} fieldId="iot-filter-status">
                  <FormSelect
                    id="iot-filter-status"
                    data-testid="filter-status"
                    value={statusInput}
                    onChange={(_, v) => setStatusInput(v)}
                  >
                    <FormSelectOption value="" label={t("iotAnyStatus")} />
                    {statuses.map((s) => (
                      <FormSelectOption key={s} value={s} label={t(`iotStatus_${s}`)} />
                    ))}
                  </FormSelect>
                </FormGroup>
                <Button type="submit" data-testid="filter-apply">
                  {t("iotFilterApply")}
                </Button>
              </Form>
            </ToolbarItem>
            <ToolbarItem variant="pagination">{paging.pager(data?.length ?? 0, "iot-api-keys-pager")}</ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div className="pf-v5-u-px-md">
          <LoadError error={error} />
        </div>
        <div style={{ overflowX: "auto" }}>
        <Table aria-label={t("iotApiKeys")} variant="compact" data-testid="api-keys">
          <Thead>
            <Tr>
              <Th>{t("iotApiKeyKey")}</Th>
              <Th>{t("iotOwner")}</Th>
              <Th>{t("iotStatus")}</Th>
              <Th>{t("iotApiKeyRoles")}</Th>
              <Th modifier="wrap">{t("iotCreated")}</Th>
              <Th modifier="wrap">{t("iotExpires")}</Th>
              <Th modifier="wrap">{t("iotApiKeyLastUsed")}</Th>
              <Th screenReaderText={t("iotActions")} />
            </Tr>
          </Thead>
          <Tbody>
            {data && rows.length === 0 ? (
              <Tr>
                <Td colSpan={8} data-testid="empty">
                  {t("iotApiKeysNone")}
                </Td>
              </Tr>
            ) : null}
            {rows.map((k) => (
              <Tr key={k.id} data-testid={`key-${k.key}`}>
                <Td dataLabel={t("iotApiKeyKey")}>
                  <code>{k.key}</code>
                  {k.memo ? <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{k.memo}</div> : null}
                </Td>
                <Td dataLabel={t("iotOwner")}>
                  <Owner id={k.userId} name={username(k.userId)} />
                </Td>
                <Td dataLabel={t("iotStatus")}>
                  <Label color={statusColor[k.status]} data-testid="key-status">
                    {t(`iotStatus_${k.status}`)}
                  </Label>
                </Td>
                <Td dataLabel={t("iotApiKeyRoles")}>{k.roles?.length ? k.roles.join(", ") : t("iotApiKeyAllRoles")}</Td>
                <Td dataLabel={t("iotCreated")}>{short(k.createdAt)}</Td>
                <Td dataLabel={t("iotExpires")}>{k.expiresAt ? short(k.expiresAt) : t("iotNever")}</Td>
                <Td dataLabel={t("iotApiKeyLastUsed")}>{short(k.lastUsedAt)}</Td>
                <Td isActionCell>
                  <KeyActions k={k} act={act} remove={remove} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        </div>
      </PageSection>
      {secret ? (
        <ShownOnce
          title={t("iotApiKeySecretTitle", { key: secret.key })}
          warning={t("iotApiKeySecretWarning")}
          close={t("iotApiKeySecretClose")}
          values={[
            { label: t("iotApiKeyKey"), value: secret.key, testId: "new-key" },
            { label: t("iotApiKeySecret"), value: secret.secret, testId: "new-secret" },
          ]}
          onClose={() => setSecret(undefined)}
        />
      ) : null}
    </>
  );
}

function KeyActions({
  k,
  act,
  remove,
}: {
  k: ApiKey;
  act: (k: ApiKey, action: "suspend" | "resume" | "revoke" | "rotate", body?: unknown) => Promise<void>;
  remove: (k: ApiKey) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [grace, setGrace] = useState("0");
  const live = k.status === "active" || k.status === "suspended";
  return (
    <div className="pf-v5-u-display-flex" style={{ gap: "0.25rem", whiteSpace: "nowrap" }}>
      {k.status === "active" ? (
        <ConfirmButton
          testId="suspend"
          label={t("iotSuspend")}
          title={t("iotApiKeySuspendTitle", { key: k.key })}
          body={t("iotApiKeySuspendBody")}
          confirm={t("iotSuspend")}
          onConfirm={() => act(k, "suspend")}
        />
      ) : null}
      {k.status === "suspended" ? (
        <ConfirmButton
          testId="resume"
          label={t("iotResume")}
          title={t("iotApiKeyResumeTitle", { key: k.key })}
          body={t("iotApiKeyResumeBody")}
          confirm={t("iotResume")}
          onConfirm={() => act(k, "resume")}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="rotate"
          label={t("iotRotate")}
          title={t("iotApiKeyRotateTitle", { key: k.key })}
          body={
            <Form onSubmit={(e) => e.preventDefault()}>
              <p>{t("iotApiKeyRotateBody")}</p>
              <FormGroup label={t("iotApiKeyRotateGrace")} fieldId={`grace-${k.id}`}>
                <FormSelect id={`grace-${k.id}`} data-testid="grace" value={grace} onChange={(_, v) => setGrace(v)}>
                  <FormSelectOption value="0" label={t("iotGraceNone")} />
                  <FormSelectOption value="3600" label={t("iotGraceHour")} />
                  <FormSelectOption value="86400" label={t("iotGraceDay")} />
                  <FormSelectOption value="604800" label={t("iotGraceWeek")} />
                </FormSelect>
              </FormGroup>
            </Form>
          }
          confirm={t("iotRotate")}
          onConfirm={() => act(k, "rotate", { graceSeconds: Number(grace) })}
        />
      ) : null}
      {live ? (
        <ConfirmButton
          testId="revoke"
          danger
          label={t("iotRevoke")}
          title={t("iotApiKeyRevokeTitle", { key: k.key })}
          body={t("iotApiKeyRevokeBody")}
          confirm={t("iotRevoke")}
          onConfirm={() => act(k, "revoke")}
        />
      ) : null}
      <ConfirmButton
        testId="delete"
        danger
        variant="link"
        label={t("iotDelete")}
        title={t("iotApiKeyDeleteTitle", { key: k.key })}
        body={t("iotApiKeyDeleteBody")}
        confirm={t("iotDelete")}
        onConfirm={() => remove(k)}
      />
    </div>
  );
}
