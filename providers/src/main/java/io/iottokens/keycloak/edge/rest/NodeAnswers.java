package io.iottokens.keycloak.edge.rest;

/**
 * The answers of {@code associate} and {@code unassociate} in mimik's shape (the HTTP contract, docs/openapi.yaml):
 * {@code {"result": {"accountId": "..."}, "status": "successfully associated"}} and
 * {@code {"status": "successfully unassociated"}}. No member is ever null.
 */
public final class NodeAnswers {

    static final String ASSOCIATED = "successfully associated";
    static final String UNASSOCIATED = "successfully unassociated";

    private NodeAnswers() {
    }

    /** The answer to associate: the account that owns the node now. */
    public record Associated(Account result, String status) {
    }

    /** The owning account. */
    public record Account(String accountId) {
    }

    /** The answer to unassociate. */
    public record Unassociated(String status) {
    }

    static Associated associated(String accountId) {
        return new Associated(new Account(accountId), ASSOCIATED);
    }

    static Unassociated unassociated() {
        return new Unassociated(UNASSOCIATED);
    }
}
