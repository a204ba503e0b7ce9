import { Page, useEnvironment } from "@keycloak/keycloak-account-ui";
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
} from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { call, enc, when } from "../shared/api";
import { ListView, useFieldErrors } from "../shared/list";
import { ConfirmButton, ShownOnce, useLoad, usePaging } from "../shared/ui";
import { realmUrl } from "./environment";
import { useRun } from "./run";

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
  const paging = usePaging();
  const { data, error, reload } = useLoad(
    (signal) => call<Summary[]>(keycloak, `${realmUrl}/purposed-tokens?first=${paging.first}&max=${paging.max}`, { signal }),
    [paging.first, paging.max],
  );
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Created>();

  const run = useRun(reload);
  const remove = (p: Summary) =>
    run(() => call(keycloak, `${realmUrl}/purposed-tokens/${enc(p.id)}`, { method: "DELETE" }), t("iotPurposed.delete.done", { purpose: p.purpose }));

  return (
    <Page title={t("iotPurposedTokens")} description={t("iotPurposedTokensDescription")}>
      <ListView<Summary>
        label={t("iotPurposedTokens")}
        testId="purposed-tokens"
        buttons={
          <Button data-testid="create-purposed" onClick={() => setCreating(true)}>
            {t("iotPurposed.create")}
          </Button>
        }
        pager={paging.pager(data?.length ?? 0, "purposed-pager")}
        error={error}
        rows={data}
        perPage={paging.perPage}
        empty={t("iotPurposed.none")}
        actionsLabel={t("iotActions")}
        rowKey={(p) => p.id}
        rowTestId={(p) => `purposed-${p.id}`}
        columns={[
          { title: t("iotPurposed.purpose"), cell: (p) => p.purpose },
          { title: t("iotPurposed.category"), cell: (p) => p.category },
          { title: t("iotPurposed.scopes"), cell: (p) => p.scopes.join(", ") },
          { title: t("iotPurposed.targets"), cell: (p) => p.targetIdentities.join(", ") },
          { title: t("iotPurposed.groups"), cell: (p) => p.targetGroups.join(", ") },
          { title: t("iotPurposed.expires"), cell: (p) => (p.expiresAt ? when(p.expiresAt) : t("iotApiKey.never")) },
        ]}
        actions={(p) => (
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
        )}
      />
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
  const errors = useFieldErrors(["purpose", "scopes", "targetIdentities", "targetGroups", "originDomains", "expiration"]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    errors.clear();
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
      errors.fail(e);
    } finally {
      setBusy(false);
    }
  };
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
          {errors.at("purpose")}
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
          {errors.at("scopes")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.targets")} fieldId="targets">
          <TextInput id="targets" data-testid="targets" value={targets} onChange={(_, v) => setTargets(v)} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("iotPurposed.targetsHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
          {errors.at("targetIdentities")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.groups")} fieldId="groups">
          <TextInput id="groups" data-testid="groups" value={groups} onChange={(_, v) => setGroups(v)} />
          {errors.at("targetGroups")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.origins")} fieldId="origins">
          <TextInput
            id="origins"
            data-testid="origins"
            placeholder="https://verify.example.com"
            value={origins}
            onChange={(_, v) => setOrigins(v)}
          />
          {errors.at("originDomains")}
        </FormGroup>
        <FormGroup label={t("iotPurposed.expires")} fieldId="expiration">
          <FormSelect id="expiration" data-testid="expiration" value={expiration} onChange={(_, v) => setExpiration(v)}>
            {lifetimes.map(([v, key]) => (
              <FormSelectOption key={v} value={v} label={t(key)} />
            ))}
          </FormSelect>
          {errors.at("expiration")}
        </FormGroup>
        {errors.rest()}
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
