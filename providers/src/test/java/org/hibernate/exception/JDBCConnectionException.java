package org.hibernate.exception;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;

/**
 * Stands in for Hibernate's exception of the same name (SQLState class 08), which the server has and this module's
 * test class path has not: {@code DatabaseOutage} recognises it by name.
 */
public class JDBCConnectionException extends PersistenceException {

    private static final long serialVersionUID = 1L;

    public JDBCConnectionException(String message, SQLException cause) {
        super(message, cause);
    }
}
