package io.iottokens.keycloak.common;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

/**
 * State changes of one row, serialised: a change locks the row ({@code SELECT ... FOR UPDATE}, H2 and PostgreSQL
 * alike) and re-reads it before deciding anything, so of two concurrent operations on one object the second sees
 * what the first wrote (or that the first deleted it) and nothing writes back a state read before another change.
 */
public final class RowLocks {

    private RowLocks() {
    }

    /**
     * Locks the entity's row for this transaction and refreshes the entity from it; false when the row is gone.
     * (Keycloak's entity-manager proxy turns Hibernate's "no row" into a {@code ModelException}, not the JPA
     * {@code EntityNotFoundException}: whether the row is gone is therefore asked of the database.)
     */
    public static boolean lock(EntityManager em, Object entity) {
        Object id = em.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(entity);
        try {
            em.refresh(entity, LockModeType.PESSIMISTIC_WRITE);
            return true;
        } catch (RuntimeException e) {
            String name = em.getMetamodel().entity(entity.getClass()).getName();
            long rows = em.createQuery("select count(x) from " + name + " x where x.id = :id", Long.class).setParameter("id", id)
                    .getSingleResult();
            if (rows == 0) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Inserts a new row now (not at commit), so that a concurrent insert of the same object (a unique key) is a 409
     * {@code conflict} with {@code description} for the loser instead of a failed commit.
     */
    public static void insert(EntityManager em, Object entity, String description) {
        try {
            em.persist(entity);
            em.flush();
        } catch (PersistenceException raced) {
            throw PackException.conflict(description);
        }
    }
}
