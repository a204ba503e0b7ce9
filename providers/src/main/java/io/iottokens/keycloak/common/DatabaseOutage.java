package io.iottokens.keycloak.common;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * The pack's answer when its database is unreachable: {@code 503 Service Unavailable} with {@code Retry-After} and
 * {@code {"error": "temporarily_unavailable", "error_description": ...}} (RFC 6749's code; the same shape as
 * {@link ErrorBody} and as the token endpoint's errors), instead of Keycloak's {@code 500 unknown_error}.
 *
 * <p>Every entry point of the pack (REST resource methods, the key grant, the token exchanges, purposed introspection)
 * runs its work through {@link #rest} or {@link #token}. The work's writes are flushed inside the guard, so a database
 * that went away during the request is answered 503 here rather than failing later at Keycloak's commit (which
 * happens after the method returns and would give 500). Nothing else changes: an exception that is not a lost
 * database (see {@link #isOutage}) is rethrown as it was, so bugs stay 500s. The answer marks the transaction
 * rollback-only ({@link ErrorResponseException}), so nothing of a refused request is committed, and nothing is
 * kept between requests: once the database answers again, the connection pool opens new connections and the next
 * request succeeds, without a restart.
 */
public final class DatabaseOutage {

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);

    /** Seconds a client is asked to wait before it retries. */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** The error code of the answer (RFC 6749 section 4.1.2.1). */
    public static final String ERROR = "temporarily_unavailable";
    public static final String DESCRIPTION = "The service is temporarily unavailable (database unreachable); retry later";

    /** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (the server is going away or not up yet). */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");
    /** Hibernate's translation of SQLState class 08, named so that this class needs no Hibernate on its class path. */
    private static final String HIBERNATE_CONNECTION_EXCEPTION = "org.hibernate.exception.JDBCConnectionException";
    /** Agroal's connection factory: an exception thrown below it failed to open a new connection. */
    private static final String AGROAL_CONNECTION_FACTORY = "io.agroal.pool.ConnectionFactory";
    private static final int MAX_CHAIN = 64;

    private DatabaseOutage() {
    }

    /** A REST resource method: its work, and 503 in the {@link ErrorBody} shape when the database is unreachable. */
    public static Response rest(KeycloakSession session, Supplier<Response> work) {
        return guard(() -> flush(session), Response.ResponseBuilder::build, work);
    }

    /**
     * A token-endpoint entry point (grant, token exchange, introspection): its work, and the OAuth error
     * {@code temporarily_unavailable} with 503 when the database is unreachable; {@code cors} (may be null) adds the
     * token endpoint's CORS headers as Keycloak does for its own errors.
     */
    public static Response token(KeycloakSession session, Cors cors, Supplier<Response> work) {
        return guard(() -> flush(session), cors == null ? Response.ResponseBuilder::build : cors::add, work);
    }

    static Response guard(Runnable flush, Function<Response.ResponseBuilder, Response> build, Supplier<Response> work) {
        try {
            Response response = work.get();
            flush.run();
            return response;
        } catch (RuntimeException e) {
            if (!isOutage(e)) {
                throw e;
            }
            LOG.warnf("Database unreachable (%s): answering 503 with Retry-After %d s", summary(e), RETRY_AFTER_SECONDS);
            throw new ErrorResponseException(build.apply(unavailable()));
        }
    }

    private static Response.ResponseBuilder unavailable() {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .header(HttpHeaders.CACHE_CONTROL, NoStore.VALUE)
                .entity(new ErrorBody(ERROR, DESCRIPTION));
    }

    /**
     * Writes what the work left in the JPA persistence context now, inside the guard, so that a lost connection shows
     * here and not at the commit. Through Keycloak's entity manager, other failures become the same
     * {@code ModelException}s the commit would throw.
     */
    private static void flush(KeycloakSession session) {
        KeycloakTransactionManager tx = session.getTransactionManager();
        if (tx == null || !tx.isActive() || tx.getRollbackOnly()) {
            return;
        }
        JpaConnectionProvider jpa = session.getProvider(JpaConnectionProvider.class);
        if (jpa != null && jpa.getEntityManager().isJoinedToTransaction()) {
            jpa.getEntityManager().flush();
        }
    }

    /**
     * Whether {@code failure} means the database cannot be reached, looking through its causes and suppressed
     * exceptions: a JDBC connection exception, SQLState class 08 (connection exception), PostgreSQL's 57P01-57P03
     * (server shut down or starting), Hibernate's {@code JDBCConnectionException}, a pool's acquisition timeout, or
     * any failure to open a new connection in the pool. A query's own error (a constraint, a syntax error, a lock
     * timeout) is not.
     */
    public static boolean isOutage(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty() && seen.size() < MAX_CHAIN) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (isConnectionFailure(t)) {
                return true;
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.add(s);
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable t) {
        if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
            return true;
        }
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(HIBERNATE_CONNECTION_EXCEPTION)) {
                return true;
            }
        }
        if (!(t instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state.toUpperCase(Locale.ROOT)))) {
            return true;
        }
        String message = sql.getMessage();
        if (message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
            return true; // Agroal: "Sorry, acquisition timeout!", "Acquisition timeout while waiting for new connection"
        }
        for (StackTraceElement frame : sql.getStackTrace()) {
            if (frame.getClassName().equals(AGROAL_CONNECTION_FACTORY)) {
                return true; // opening a connection failed: refused, database not accepting connections, unknown host
            }
        }
        return false;
    }

    /** Class names and SQLStates of the chain, for the log: no message (it may name hosts, users or values). */
    static String summary(Throwable failure) {
        StringBuilder b = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t) && seen.size() <= MAX_CHAIN; t = t.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(t.getClass().getName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                b.append(" [").append(sql.getSQLState()).append(']');
            }
        }
        return b.toString();
    }
}
