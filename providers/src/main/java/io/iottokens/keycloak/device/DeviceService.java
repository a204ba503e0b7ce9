package io.iottokens.keycloak.device;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.persistence.EntityManager;

import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;

import io.iottokens.keycloak.common.PackException;
import io.iottokens.keycloak.common.Paging;
import io.iottokens.keycloak.common.RowLocks;
import io.iottokens.keycloak.device.jpa.DeviceEntity;

/**
 * The device registry: keys, owners and group memberships. Request-scoped. Every change of a device's owner, groups or
 * key is atomic: it locks the device's row and re-reads it ({@link RowLocks}), or is one conditional UPDATE, so two
 * racing changes of one device run one after the other, and a release that answered is never undone by an operation
 * that read the device before it.
 */
public final class DeviceService {

    /**
     * Device ids: 1 to 255 characters of letters, digits and {@code . _ : -} (UUIDs, node ids, serials), not only dots
     * ("." and ".." would be path segments no URL can reach).
     */
    public static final Pattern DEVICE_ID = Pattern.compile("(?!\\.+$)[A-Za-z0-9._:-]{1,255}");

    private final KeycloakSession session;

    public DeviceService(KeycloakSession session) {
        this.session = session;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    public static String requireValidId(String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw PackException.badRequest("The device id must be 1 to 255 letters, digits or . _ : -");
        }
        return deviceId;
    }

    public DeviceEntity byDeviceId(RealmModel realm, String deviceId) {
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            return null;
        }
        List<DeviceEntity> found = em().createNamedQuery("IotDevice.byDeviceId", DeviceEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("deviceId", deviceId).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * The ids among {@code deviceIds} that are not devices of {@code ownerId}, in order: one query however many
     * ids (purposed tokens name up to 100 targets and are checked on every introspection).
     */
    public List<String> notOwned(RealmModel realm, String ownerId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return List.of();
        }
        java.util.Set<String> owned = new java.util.HashSet<>(em().createQuery(
                        "select d.deviceId from IotDevice d where d.realmId = :realmId and d.ownerId = :ownerId and d.deviceId in :ids", String.class)
                .setParameter("realmId", realm.getId()).setParameter("ownerId", ownerId).setParameter("ids", deviceIds)
                .getResultList());
        return deviceIds.stream().filter(id -> !owned.contains(id)).toList();
    }

    /** The outcome of a key registration: the device, and whether this call registered the key. */
    public record Registration(DeviceEntity device, boolean created) {
    }

    /**
     * Registers {@code key} for the device (creating the device); the same key again is a no-op, another key a 409.
     * A device with an owner takes a key only when that owner vouches for it: {@code ownerId} is the owner the
     * caller authenticated (null when nobody vouches). The write is conditional, so a device that got an owner or
     * a key between the caller's check and this write is not taken (409: the caller may try again).
     */
    public Registration registerKey(RealmModel realm, String deviceId, DeviceKeys.DeviceKey key, String ownerId) {
        DeviceEntity d = byDeviceId(realm, deviceId);
        if (d != null && d.getKeyThumbprint() != null) {
            if (d.getKeyThumbprint().equals(key.thumbprint())) {
                return new Registration(d, false);
            }
            throw PackException.conflict("Another key is already registered for this device");
        }
        if (d != null && d.getOwnerId() != null && !d.getOwnerId().equals(ownerId)) {
            // the resource has answered 401/403/404 already; this guards every other caller
            throw PackException.notFound("Device not found");
        }
        String jwk;
        try {
            jwk = JsonSerialization.writeValueAsString(key.publicJwk());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        long now = System.currentTimeMillis();
        if (d == null) {
            d = new DeviceEntity();
            d.setId(KeycloakModelUtils.generateId());
            d.setRealmId(realm.getId());
            d.setDeviceId(deviceId);
            d.setCreatedAt(now);
            d.setPublicKey(jwk);
            d.setKeyThumbprint(key.thumbprint());
            d.setKeyRegisteredAt(now);
            RowLocks.insert(em(), d, "The device changed while its key was being registered; try again");
            return new Registration(d, true);
        }
        String ownerCondition = ownerId == null ? "d.ownerId is null" : "(d.ownerId is null or d.ownerId = :ownerId)";
        var update = em().createQuery("update IotDevice d set d.publicKey = :key, d.keyThumbprint = :thumbprint, d.keyRegisteredAt = :now"
                        + " where d.id = :id and d.keyThumbprint is null and " + ownerCondition)
                .setParameter("key", jwk).setParameter("thumbprint", key.thumbprint()).setParameter("now", now).setParameter("id", d.getId());
        if (ownerId != null) {
            update.setParameter("ownerId", ownerId);
        }
        int updated = update.executeUpdate();
        em().refresh(d);
        if (updated == 0) {
            if (key.thumbprint().equals(d.getKeyThumbprint())) {
                return new Registration(d, false);
            }
            throw PackException.conflict("The device changed while its key was being registered; try again");
        }
        return new Registration(d, true);
    }

    /**
     * Makes {@code userId} the owner of the node (creating the device row); 409 when another account owns it. Under
     * the node's row lock: of two accounts racing for a free node exactly one wins. {@code releases} is the release
     * count the caller's edge session was opened under (null for callers without one, the bootstrap): if the node has
     * been let go since, the caller's token no longer speaks for it (401), so a release that answered is not undone by
     * a request that was authenticated before it.
     */
    public DeviceEntity associate(RealmModel realm, String nodeId, String userId, Long releases) {
        long now = System.currentTimeMillis();
        DeviceEntity d = byDeviceId(realm, nodeId);
        if (d == null) {
            requireReleases(realm, 0, releases);
            d = new DeviceEntity();
            d.setId(KeycloakModelUtils.generateId());
            d.setRealmId(realm.getId());
            d.setDeviceId(requireValidId(nodeId));
            d.setCreatedAt(now);
            d.setOwnerId(userId);
            d.setAssociatedAt(now);
            RowLocks.insert(em(), d, "The node changed while it was being associated; try again");
            return d;
        }
        lockOrConflict(d);
        requireReleases(realm, d.getReleases(), releases);
        if (d.getOwnerId() == null) {
            d.setOwnerId(userId);
            d.setAssociatedAt(now);
        }
        if (!userId.equals(d.getOwnerId())) {
            throw PackException.conflict("This node is associated with another account");
        }
        return d;
    }

    /**
     * The owner lets the node go (see {@link #release}); nothing to do when it has no owner; 409 when another account
     * owns it; 401 when the node was let go since the caller's edge session was opened ({@code releases}, as for
     * {@link #associate}).
     */
    public void unassociate(RealmModel realm, String nodeId, String userId, Long releases) {
        DeviceEntity d = byDeviceId(realm, nodeId);
        if (d == null) {
            return;
        }
        lockOrConflict(d);
        requireReleases(realm, d.getReleases(), releases);
        if (d.getOwnerId() == null) {
            return;
        }
        if (!d.getOwnerId().equals(userId)) {
            throw PackException.conflict("This node is associated with another account");
        }
        release(realm, d);
    }

    /**
     * An administrator ends the association of the device, which they were allowed to change as a device of
     * {@code checkedOwnerId} (null: of nobody): under its row lock, 404 when it is gone, 409 when it is not associated
     * or its owner is no longer the one the permission was checked for (a release or association came first).
     */
    public void unassociate(RealmModel realm, DeviceEntity d, String checkedOwnerId) {
        lock(d);
        if (d.getOwnerId() == null) {
            throw PackException.conflict("The device is not associated with any account");
        }
        if (!d.getOwnerId().equals(checkedOwnerId)) {
            throw PackException.conflict("The device changed during this request; try again");
        }
        release(realm, d);
    }

    private void lockOrConflict(DeviceEntity d) {
        if (!RowLocks.lock(em(), d)) {
            throw PackException.conflict("The node changed during this request; try again");
        }
    }

    private static void requireReleases(RealmModel realm, long current, Long expected) {
        if (expected != null && expected != current) {
            throw PackException.unauthorized("This edge token no longer speaks for the node: it was let go since the token was issued");
        }
    }

    /**
     * The owner ({@code ownerId}) lets go of the device: under its row lock, 404 when it is gone or no longer theirs
     * (a concurrent release or delete came first).
     */
    public void forget(RealmModel realm, DeviceEntity d, String ownerId) {
        if (!RowLocks.lock(em(), d) || !ownerId.equals(d.getOwnerId())) {
            throw PackException.notFound("Device not found");
        }
        release(realm, d);
    }

    /**
     * Lets the (locked) device go: no owner, no groups, the release count up, and {@link DeviceReleased} published in
     * this transaction: the edge feature ends the former owner's edge sessions of the node, so its edge tokens stop
     * working at once everywhere (refresh, introspection, the pack's endpoints).
     */
    private void release(RealmModel realm, DeviceEntity d) {
        String owner = d.getOwnerId();
        letGo(d);
        released(realm, owner, d.getDeviceId());
    }

    private void released(RealmModel realm, String formerOwnerId, String deviceId) {
        session.getKeycloakSessionFactory().publish(new DeviceReleased(session, realm, formerOwnerId, deviceId));
    }

    /** The release count of a device, read under its row lock (held until the transaction ends); 0 for none or a deleted one. */
    public long releasesLocked(DeviceEntity d) {
        return d != null && RowLocks.lock(em(), d) ? d.getReleases() : 0;
    }

    /** Locks the device's row and re-reads it; 404 when it was deleted meanwhile. For admin changes. */
    public DeviceEntity lock(DeviceEntity d) {
        if (!RowLocks.lock(em(), d)) {
            throw PackException.notFound("Device not found");
        }
        return d;
    }

    /** The registered key of a device, or null. */
    @SuppressWarnings("unchecked")
    public DeviceKeys.DeviceKey key(DeviceEntity d) {
        if (d.getPublicKey() == null) {
            return null;
        }
        try {
            return DeviceKeys.parse(JsonSerialization.readValue(d.getPublicKey(), Map.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored key of device " + d.getDeviceId() + " is unreadable", e);
        }
    }

    /**
     * A page of the realm's devices in device-id order, of one owner and/or one group when given. The query names
     * only the filters given (no {@code :x is null or ...}): PostgreSQL's cached generic plan of such a query cannot
     * use the owner index, and a page of a million devices must come from an index (UK_IOT_DEVICE_DEVICE for the
     * realm, IDX_IOT_DEVICE_OWNER_DEVICE for an owner) rather than from a sort of every row. The group filter is an
     * inner join: a device is in a group at most once, so no {@code distinct} is needed.
     */
    public List<DeviceEntity> search(RealmModel realm, String ownerId, String groupId, Paging paging) {
        String jpql = "select d from IotDevice d" + (groupId != null ? " join d.groups g" : "") + " where d.realmId = :realmId"
                + (ownerId != null ? " and d.ownerId = :ownerId" : "") + (groupId != null ? " and g = :groupId" : "")
                + " order by d.deviceId";
        var query = em().createQuery(jpql, DeviceEntity.class).setParameter("realmId", realm.getId());
        if (ownerId != null) {
            query.setParameter("ownerId", ownerId);
        }
        if (groupId != null) {
            query.setParameter("groupId", groupId);
        }
        return query.setFirstResult(paging.first()).setMaxResults(paging.max()).getResultList();
    }

    /** No owner, no groups, one more release; the registered key stays with the device. */
    private static void letGo(DeviceEntity d) {
        d.setOwnerId(null);
        d.setAssociatedAt(null);
        d.getGroups().clear();
        d.setReleases(d.getReleases() + 1);
    }

    /**
     * An administrator deletes the device (locked, see {@link #lock}); {@link DeviceReleased} is published first, so
     * its owner's edge sessions of it end with it.
     */
    public void delete(RealmModel realm, DeviceEntity d) {
        released(realm, d.getOwnerId(), d.getDeviceId());
        em().remove(d);
    }

    /**
     * Groups by id or name; an unknown one is a 400 naming it. {@code mayChange} is asked for every group the device
     * joins or leaves (the caller's permission on that group's membership) before anything changes.
     */
    public void setGroups(RealmModel realm, DeviceEntity d, List<String> idsOrNames, Consumer<GroupModel> mayChange) {
        Set<String> ids = new LinkedHashSet<>();
        for (String ref : idsOrNames) {
            GroupModel g = group(realm, ref);
            if (g == null) {
                throw PackException.badRequest("Field 'groups': unknown group '" + ref + "'");
            }
            ids.add(g.getId());
        }
        Set<String> changed = new LinkedHashSet<>(ids);
        changed.removeAll(d.getGroups());
        d.getGroups().stream().filter(old -> !ids.contains(old)).forEach(changed::add);
        for (String groupId : changed) {
            GroupModel g = session.groups().getGroupById(realm, groupId);
            if (g != null) {
                mayChange.accept(g);
            }
        }
        d.getGroups().clear();
        d.getGroups().addAll(ids);
    }

    /** A group of the realm by id, by path ({@code /a/b}) or by name (the first top-level match). */
    public GroupModel group(RealmModel realm, String ref) {
        GroupModel g = session.groups().getGroupById(realm, ref);
        if (g == null && ref.startsWith("/")) {
            g = KeycloakModelUtils.findGroupByPath(session, realm, ref);
        }
        if (g == null) {
            g = session.groups().getTopLevelGroupsStream(realm).filter(t -> t.getName().equals(ref)).findFirst().orElse(null);
        }
        return g;
    }

    /** The user was removed: their devices lose their owner ({@link DeviceCleanup}); the user's sessions go with the user. */
    public void ownerRemoved(RealmModel realm, String userId) {
        List<DeviceEntity> owned = em().createQuery("select d from IotDevice d where d.realmId = :realmId and d.ownerId = :ownerId", DeviceEntity.class)
                .setParameter("realmId", realm.getId()).setParameter("ownerId", userId).getResultList();
        owned.forEach(DeviceService::letGo);
    }

    /** The group was removed: its devices leave it ({@link DeviceCleanup}). */
    public void groupRemoved(String groupId) {
        em().createNativeQuery("delete from IOT_DEVICE_GROUP where GROUP_ID = ?1").setParameter(1, groupId).executeUpdate();
    }

    /** The realm was removed: its devices go with it ({@link DeviceCleanup}). */
    public void realmRemoved(String realmId) {
        em().createNativeQuery("delete from IOT_DEVICE_GROUP where DEVICE_ID in (select ID from IOT_DEVICE where REALM_ID = ?1)")
                .setParameter(1, realmId).executeUpdate();
        em().createNativeQuery("delete from IOT_DEVICE where REALM_ID = ?1").setParameter(1, realmId).executeUpdate();
    }
}
