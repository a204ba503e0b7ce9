import { Page, useAccountAlerts, useEnvironment } from "@keycloak/keycloak-account-ui";
import {
  ActionGroup,
  Button,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Modal,
  ModalVariant,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { call, enc, fieldOf, message, when } from "../shared/api";
import { ConfirmButton, ShownOnce, useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";

type Summary = {
  id: string;
  category: "purposed_claim" | "bootstrap";
  purpose: string;
  scopes: string[];
  targetIdentities: string[];
  targetGroups: string[];
  createdAt: string;
  notBefore?: string | null;
  expiresAt?: string | null;
};
type Created = { id: string; token: string };

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** ubirch purposed tokens: create from the realm's scope catalogue (the token shown once), list, delete. */
export const PurposedTokens = () => {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const { addAlert, addError } = useAccountAlerts();
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<Summary[]>(keycloak, `${realmUrl}/purposed-tokens?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created>();
  const rows = data ?? [];

  const remove = async (p: Summary) => {
    try {
      await call(keycloak, `${realmUrl}/purposed-tokens/${enc(p.id)}`, { method: "DELETE" });
      addAlert(t("iotPurposed.delete.done", { purpose: p.purpose }));
    } catch (e) {
      addError("iotError", e);
    }
    reload();
  };

  return (
    <Page title={t("iotPurposedTokens")} description={t("iotPurposedTokensDescription")}>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Button data-testid="create-purposed" onClick={() => setCreating(true)}>
              {t("iotPurposed.create")}
            </Button>
          </ToolbarItem>
          <ToolbarItem variant="pagination">{paging.pager(rows.length, "purposed-pager")}</ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      {error ? <p className="pf-v5-u-danger-color-100">{message(error)}</p> : null}
      <Table aria-label={t("iotPurposedTokens")} variant="compact" data-testid="purposed-tokens">
        <Thead>
          <Tr>
            <Th>{t("iotPurposed.purpose")}</Th>
            <Th>{t("iotPurposed.category")}</Th>
            <Th>{t("iotPurposed.scopes")}</Th>
            <Th>{t("iotPurposed.targets")}</Th>
            <Th>{t("iotPurposed.groups")}</Th>
            <Th>{t("iotPurposed.expires")}</Th>
            <Th screenReaderText={t("iotActions")} />
          </Tr>
        </Thead>
        <Tbody>
          {rows.length === 0 && data ? (
            <Tr>
              <Td colSpan={7}>{t("iotPurposed.none")}</Td>
            </Tr>
          ) : null}
          {rows.slice(0, paging.perPage).map((p) => (
            <Tr key={p.id} data-testid={`purposed-${p.id}`}>
              <Td dataLabel={t("iotPurposed.purpose")}>{p.purpose}</Td>
              <Td dataLabel={t("iotPurposed.category")}>{p.category}</Td>
              <Td dataLabel={t("iotPurposed.scopes")}>{p.scopes.join(", ")}</Td>
              <Td dataLabel={t("iotPurposed.targets")}>{p.targetIdentities.join(", ")}</Td>
              <Td dataLabel={t("iotPurposed.groups")}>{p.targetGroups.join(", ")}</Td>
              <Td dataLabel={t("iotPurposed.expires")}>{p.expiresAt ? when(p.expiresAt) : t("iotApiKey.never")}</Td>
              <Td isActionCell>
                <ConfirmButton
                  testId="delete"
                  danger
                  variant="link"
                  label={t("iotPurposed.delete")}
                  title={t("iotPurposed.delete.title", { purpose: p.purpose })}
                  body={t(p.category === "bootstrap" ? "iotPurposed.delete.bootstrapBody" : "iotPurposed.delete.body")}
                  confirm={t("iotPurposed.delete")}
                  onConfirm={() => remove(p)}
                />
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {creating ? (
        <CreatePurposed
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            setCreated(c);
            reload();
          }}
        />
      ) : null}
      {created ? (
        <ShownOnce
          title={t("iotPurposed.tokenTitle")}
          warning={t("iotPurposed.tokenWarning")}
          close={t("iotApiKey.secretClose")}
          values={[{ label: t("iotPurposed.token"), value: created.token, testId: "new-purposed-token" }]}
          onClose={() => setCreated(undefined)}
        />
      ) : null}
    </Page>
  );
};

const lifetimes = [
  ["3600", "iotPurposed.expiration.hour"],
  ["86400", "iotPurposed.expiration.day"],
  ["604800", "iotPurposed.expiration.week"],
  ["2592000", "iotPurposed.expiration.month"],
] as const;

function CreatePurposed({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Created) => void }) {
  const { t } = useTranslation();
  const { keycloak } = useEnvironment();
  const catalogue = useLoad((signal) => call<string[]>(keycloak, `${realmUrl}/purposed-tokens/scopes`, { signal }), []);
  const [purpose, setPurpose] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [targets, setTargets] = useState("*");
  const [groups, setGroups] = useState("");
  const [origins, setOrigins] = useState("");
  const [expiration, setExpiration] = useState("86400");
  const [failure, setFailure] = useState<{ field: string; text: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const c = await call<Created>(keycloak, `${realmUrl}/purposed-tokens`, {
        method: "POST",
        body: {
          purpose,
          scopes,
          targetIdentities: list(targets),
          targetGroups: list(groups),
          originDomains: list(origins),
          expiration: Number(expiration),
          notBefore: null,
        },
      });
      onCreated(c);
    } catch (e) {
      setFailure({ field: fieldOf(e) ?? "form", text: message(e) });
    } finally {
      setBusy(false);
    }
  };
  const at = (field: string) =>
    failure?.field === field ? (
      <FormHelperText>
        <HelperText>
          <HelperTextItem variant="error" data-testid={`error-${field}`}>
            {failure.text}
          </HelperTextItem>
        </HelperText>
      </FormHelperText>
    ) : null;
  const known = ["purpose", "scopes", "targetIdentities", "targetGroups", "originDomains", "expiration"];

  return (
    <Modal variant={ModalVariant.medium} title={t("iotPurposed.create")} isOpen onClose={onClose}>
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <FormGroup label={t("iotPurposed.purpose")} fieldId="purpose" isRequired>
          <TextInput id="purpose" data-testid="purpose" value={purpose} onChange={(_, v) => setPurpose(v)} />
          {at("purpose")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.scopes")} fieldId="scopes" isRequired role="group">
          {(catalogue.data ?? []).map((s) => (
            <Checkbox
              key={s}
              id={`scope-${s}`}
              data-testid={`scope-${s}`}
              label={s}
              isChecked={scopes.includes(s)}
              onChange={(_, on) => setScopes(on ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />
          ))}
          {at("scopes")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.targets")} fieldId="targets">
          <TextInput id="targets" data-testid="targets" value={targets} onChange={(_, v) => setTargets(v)} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("iotPurposed.targetsHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
          {at("targetIdentities")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.groups")} fieldId="groups">
          <TextInput id="groups" data-testid="groups" value={groups} onChange={(_, v) => setGroups(v)} />
          {at("targetGroups")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.origins")} fieldId="origins">
          <TextInput
            id="origins"
            data-testid="origins"
            placeholder="https://verify.example.com"
            value={origins}
            onChange={(_, v) => setOrigins(v)}
          />
          {at("originDomains")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.expires")} fieldId="expiration">
          <FormSelect id="expiration" data-testid="expiration" value={expiration} onChange={(_, v) => setExpiration(v)}>
            {lifetimes.map(([v, key]) => (
              <FormSelectOption key={v} value={v} label={t(key)} />
            ))}
          </FormSelect>
          {at("expiration")}
        </FormGroup>
        {failure && !known.includes(failure.field) ? at(failure.field) : null}
        <ActionGroup>
          <Button type="submit" data-testid="create-purposed-submit" isLoading={busy} isDisabled={busy}>
            {t("iotPurposed.create")}
          </Button>
          <Button variant="link" onClick={onClose}>
            {t("cancel")}
          </Button>
        </ActionGroup>
      </Form>
    </Modal>
  );
}
