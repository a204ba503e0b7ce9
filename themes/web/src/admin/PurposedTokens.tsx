import { ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Form,
  FormGroup,
  Label,
  LabelGroup,
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
import { ConfirmButton, useLoad, usePaging } from "../shared/ui";
import { useIotAlerts } from "./alerts";
import { LoadError, Owner, short, useAdminApi, useUsernames } from "./common";

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
  const { addAlert, addError } = useIotAlerts();
  const paging = usePaging();
  const [userInput, setUserInput] = useState("");
  const [user, setUser] = useState("");
  const { data, error, reload } = useLoad(
    (signal) => {
      const q = new URLSearchParams({ first: String(paging.first), max: String(paging.max) });
      if (user) q.set("user", user);
      return api.get<PurposedToken[]>(`/purposed-tokens?${q}`, signal);
    },
    [api.realm, user, paging.first, paging.max],
  );
  const rows = (data ?? []).slice(0, paging.perPage);
  const username = useUsernames(rows.map((p) => p.ownerId));

  const revoke = async (p: PurposedToken) => {
    try {
      await api.send("DELETE", `/purposed-tokens/${enc(p.id)}`);
      addAlert(t("iotPurposedRevoked", { purpose: p.purpose }));
    } catch (e) {
      addError(e);
    }
    reload();
  };

  return (
    <>
      <ViewHeader titleKey="iotPurposedTokens" subKey="iotPurposedTokensHelp" />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Form
                className="pf-v5-u-display-flex pf-v5-u-flex-direction-row pf-v5-u-align-items-flex-end"
                style={{ gap: "var(--pf-v5-global--spacer--md)" }}
                onSubmit={(e) => {
                  e.preventDefault();
                  paging.reset();
                  setUser(userInput.trim());
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
                <Button type="submit" data-testid="filter-apply">
                  {t("iotFilterApply")}
                </Button>
              </Form>
            </ToolbarItem>
            <ToolbarItem variant="pagination">{paging.pager(data?.length ?? 0, "iot-purposed-pager")}</ToolbarItem>
          </ToolbarContent>
        </Toolbar>
        <div className="pf-v5-u-px-md">
          <LoadError error={error} />
        </div>
        <div style={{ overflowX: "auto" }}>
        <Table aria-label={t("iotPurposedTokens")} variant="compact" data-testid="purposed-tokens">
          <Thead>
            <Tr>
              <Th>{t("iotPurposedPurpose")}</Th>
              <Th>{t("iotOwner")}</Th>
              <Th>{t("iotPurposedCategory")}</Th>
              <Th>{t("iotPurposedScopes")}</Th>
              <Th>{t("iotPurposedTargets")}</Th>
              <Th>{t("iotPurposedValid")}</Th>
              <Th screenReaderText={t("iotActions")} />
            </Tr>
          </Thead>
          <Tbody>
            {data && rows.length === 0 ? (
              <Tr>
                <Td colSpan={7} data-testid="empty">
                  {t("iotPurposedNone")}
                </Td>
              </Tr>
            ) : null}
            {rows.map((p) => (
              <Tr key={p.id} data-testid={`purposed-${p.id}`}>
                <Td dataLabel={t("iotPurposedPurpose")}>
                  {p.purpose}
                  <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">
                    <code>{p.id}</code>
                  </div>
                </Td>
                <Td dataLabel={t("iotOwner")}>
                  <Owner id={p.ownerId} name={username(p.ownerId)} />
                </Td>
                <Td dataLabel={t("iotPurposedCategory")}>
                  <Label color={p.category === "bootstrap" ? "orange" : "grey"} isCompact>
                    {t(`iotPurposedCategory_${p.category}`)}
                  </Label>
                </Td>
                <Td dataLabel={t("iotPurposedScopes")}>
                  <Labels values={p.scopes} color="blue" />
                </Td>
                <Td dataLabel={t("iotPurposedTargets")}>
                  <Labels values={[...p.targetIdentities, ...p.targetGroups.map((g) => `group:${g}`)]} color="purple" />
                </Td>
                <Td dataLabel={t("iotPurposedValid")} className="pf-v5-u-font-size-sm">
                  <div>{short(p.notBefore ?? p.createdAt)} –</div>
                  <div>{p.expiresAt ? short(p.expiresAt) : t("iotNever")}</div>
                </Td>
                <Td isActionCell>
                  <ConfirmButton
                    testId="revoke"
                    danger
                    label={t("iotRevoke")}
                    title={t("iotPurposedRevokeTitle", { purpose: p.purpose })}
                    body={t("iotPurposedRevokeBody")}
                    confirm={t("iotRevoke")}
                    onConfirm={() => revoke(p)}
                  />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        </div>
      </PageSection>
    </>
  );
}
