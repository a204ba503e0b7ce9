package io.iottokens.keycloak.common;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseOutageTest {

    @BeforeAll
    static void jaxRs() {
        FakeJaxRs.install();
    }

    /** As Keycloak's entity manager and Hibernate hand a JDBC failure on: ModelException over PersistenceException. */
    private static RuntimeException wrapped(Throwable jdbc) {
        return new ModelException("Database operation failed", new PersistenceException("could not execute statement", jdbc));
    }

    /** An exception as thrown below Agroal's connection factory while it opens a connection. */
    private static SQLException openingAConnection(SQLException e) {
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.postgresql.core.v3.ConnectionFactoryImpl", "openConnectionImpl", "ConnectionFactoryImpl.java", 433),
            new StackTraceElement("org.postgresql.Driver", "connect", "Driver.java", 273),
            new StackTraceElement("io.agroal.pool.ConnectionFactory", "createConnection", "ConnectionFactory.java", 232),
            new StackTraceElement("io.agroal.pool.ConnectionPool$CreateConnectionTask", "call", "ConnectionPool.java", 570),
        });
        return e;
    }

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "08P01", "57P01", "57P02", "57P03", "57p01"})
    void connectionAndShutdownStatesAreAnOutage(String state) {
        assertTrue(DatabaseOutage.isOutage(new SQLException("lost", state)), state);
        assertTrue(DatabaseOutage.isOutage(wrapped(new SQLException("lost", state))), "under wrappers: " + state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23503", "40001", "40P01", "55P03", "57014", "42P01", "22001", "55000", "53300", "XX000"})
    void aQuerysOwnErrorIsNoOutage(String state) {
        assertFalse(DatabaseOutage.isOutage(new SQLException("refused", state)), state);
        assertFalse(DatabaseOutage.isOutage(wrapped(new SQLException("refused", state))), "under wrappers: " + state);
    }

    @Test
    void connectionExceptionTypesAreAnOutage() {
        assertTrue(DatabaseOutage.isOutage(new SQLTransientConnectionException("pool exhausted")));
        assertTrue(DatabaseOutage.isOutage(new SQLNonTransientConnectionException("closed")));
        assertTrue(DatabaseOutage.isOutage(wrapped(new SQLTransientConnectionException("pool exhausted"))));
        assertTrue(DatabaseOutage.isOutage(new JDBCConnectionException("Unable to acquire JDBC Connection", new SQLException("no state"))));
        assertTrue(DatabaseOutage.isOutage(new ModelException("x", new JDBCConnectionException("x", null))));
    }

    @Test
    void agroalAcquisitionTimeoutsAreAnOutage() {
        assertTrue(DatabaseOutage.isOutage(wrapped(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(DatabaseOutage.isOutage(wrapped(new SQLException("Acquisition timeout while waiting for new connection"))));
    }

    @Test
    void aFailureToOpenAConnectionIsAnOutage() {
        // PostgreSQL's answer to ALLOW_CONNECTIONS false is 55000, which is no outage in a query: the place decides
        SQLException notAccepting = new SQLException("database \"x\" is not currently accepting connections", "55000");
        assertFalse(DatabaseOutage.isOutage(wrapped(notAccepting)));
        assertTrue(DatabaseOutage.isOutage(wrapped(openingAConnection(
                new SQLException("database \"x\" is not currently accepting connections", "55000")))));
        assertTrue(DatabaseOutage.isOutage(wrapped(openingAConnection(new SQLException("too many clients", "53300")))));
    }

    @Test
    void otherFailuresAreNoOutage() {
        assertFalse(DatabaseOutage.isOutage(null));
        assertFalse(DatabaseOutage.isOutage(new IllegalStateException("a bug")));
        assertFalse(DatabaseOutage.isOutage(new NullPointerException()));
        assertFalse(DatabaseOutage.isOutage(new ModelDuplicateException("Duplicate resource error",
                new SQLIntegrityConstraintViolationException("duplicate key", "23505"))));
        assertFalse(DatabaseOutage.isOutage(new OptimisticLockException("row changed")));
        assertFalse(DatabaseOutage.isOutage(new SQLTimeoutException("statement timeout", "57014")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("no state at all")));
        assertFalse(DatabaseOutage.isOutage(PackException.notFound("API key not found")));
    }

    @Test
    void suppressedAndNextExceptionsAreSearchedAndCyclesEnd() {
        RuntimeException commit = new RuntimeException("commit failed");
        commit.addSuppressed(new SQLException("I/O error", "08006"));
        assertTrue(DatabaseOutage.isOutage(commit));

        BatchUpdateException batch = new BatchUpdateException("batch failed", "XX000", new int[0]);
        batch.setNextException(new SQLException("terminating connection due to administrator command", "57P01"));
        assertTrue(DatabaseOutage.isOutage(wrapped(batch)));

        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(DatabaseOutage.isOutage(a), "a cycle in the chain ends the search");
    }

    @Test
    void theWorksAnswerIsKeptAndFlushedOnce() {
        Response ok = Response.ok("done").build();
        AtomicInteger flushes = new AtomicInteger();
        assertSame(ok, DatabaseOutage.guard(flushes::incrementAndGet, Response.ResponseBuilder::build, () -> ok));
        assertEquals(1, flushes.get());
    }

    @Test
    void anOutageInTheWorkIs503WithRetryAfterInTheContractShape() {
        AtomicInteger flushes = new AtomicInteger();
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> DatabaseOutage.guard(flushes::incrementAndGet,
                Response.ResponseBuilder::build, () -> {
                    throw wrapped(new SQLException("terminating connection due to administrator command", "57P01"));
                }));
        assertUnavailable(e.getResponse());
        assertEquals(0, flushes.get(), "a failed work is not flushed");
    }

    @Test
    void anOutageAtTheFlushIs503() {
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> DatabaseOutage.guard(() -> {
            throw wrapped(new SQLException("This connection has been closed.", "08003"));
        }, Response.ResponseBuilder::build, () -> Response.status(201).build()));
        assertUnavailable(e.getResponse());
    }

    @Test
    void theTokenEndpointsBuilderIsUsedOnlyForTheRefusal() {
        AtomicInteger built = new AtomicInteger();
        java.util.function.Function<Response.ResponseBuilder, Response> cors = b -> {
            built.incrementAndGet();
            return b.header("Access-Control-Allow-Origin", "https://app.example").build();
        };
        DatabaseOutage.guard(() -> { }, cors, () -> Response.ok().build());
        assertEquals(0, built.get());
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> DatabaseOutage.guard(() -> { }, cors, () -> {
            throw new JDBCConnectionException("Unable to acquire JDBC Connection", new SQLException("refused", "08001"));
        }));
        assertUnavailable(e.getResponse());
        assertEquals("https://app.example", e.getResponse().getHeaderString("Access-Control-Allow-Origin"));
    }

    @Test
    void otherFailuresPassUnchanged() {
        IllegalStateException bug = new IllegalStateException("a bug");
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> DatabaseOutage.guard(() -> { }, Response.ResponseBuilder::build, () -> { throw bug; })));
        PackException notFound = PackException.notFound("API key not found");
        assertSame(notFound, assertThrows(PackException.class,
                () -> DatabaseOutage.guard(() -> { }, Response.ResponseBuilder::build, () -> { throw notFound; })));
        ModelDuplicateException duplicate = new ModelDuplicateException("Duplicate resource error", new SQLException("dup", "23505"));
        assertSame(duplicate, assertThrows(ModelDuplicateException.class,
                () -> DatabaseOutage.guard(() -> { throw duplicate; }, Response.ResponseBuilder::build, () -> Response.ok().build())),
                "a flush failure that is no outage reaches Keycloak's error handler as the commit's would");
    }

    @Test
    void theLogSummaryNamesClassesAndStatesButNoMessage() {
        String summary = DatabaseOutage.summary(wrapped(new SQLException("password=hunter2 host=db.internal", "08001")));
        assertEquals("org.keycloak.models.ModelException <- jakarta.persistence.PersistenceException <- java.sql.SQLException [08001]", summary);
    }

    private static void assertUnavailable(Response r) {
        assertEquals(503, r.getStatus());
        assertEquals(String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS), r.getHeaderString("Retry-After"));
        assertEquals("no-store", r.getHeaderString("Cache-Control"));
        ErrorBody body = (ErrorBody) r.getEntity();
        assertEquals("temporarily_unavailable", body.error());
        assertEquals(DatabaseOutage.DESCRIPTION, body.error_description());
    }
}
