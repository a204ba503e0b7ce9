package io.iottokens.keycloak.common;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.SeBootstrap;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.GenericType;
import jakarta.ws.rs.core.Link;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.Variant;
import jakarta.ws.rs.ext.RuntimeDelegate;

/**
 * Just enough of a JAX-RS runtime for {@link ApiError} to be built in unit tests (the server brings RESTEasy; the
 * test class path has only the API): a response keeps its status, headers and entity, nothing else works. With it a
 * test asserts the exact status and error code a check answers, not merely that something was thrown.
 */
public final class FakeJaxRs extends RuntimeDelegate {

    static {
        RuntimeDelegate.setInstance(new FakeJaxRs());
    }

    /** Call before building any response (idempotent). */
    public static void install() {
        // the static initialiser did it
    }

    /** The status and contract error code of a {@link PackException} thrown by {@code r}, as "415 unsupported_media_type". */
    public static String error(Runnable r) {
        install();
        try {
            r.run();
        } catch (PackException e) {
            return e.status() + " " + e.error();
        }
        return "no error";
    }

    @Override
    public Response.ResponseBuilder createResponseBuilder() {
        return new Builder();
    }

    // ---- the parts never used by ApiError ----
    @Override public UriBuilder createUriBuilder() { throw new UnsupportedOperationException(); }
    @Override public Variant.VariantListBuilder createVariantListBuilder() { throw new UnsupportedOperationException(); }
    @Override public <T> T createEndpoint(Application a, Class<T> c) { throw new UnsupportedOperationException(); }
    @Override public <T> HeaderDelegate<T> createHeaderDelegate(Class<T> c) { throw new UnsupportedOperationException(); }
    @Override public Link.Builder createLinkBuilder() { throw new UnsupportedOperationException(); }
    @Override public SeBootstrap.Configuration.Builder createConfigurationBuilder() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<SeBootstrap.Instance> bootstrap(Application a, SeBootstrap.Configuration c) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<SeBootstrap.Instance> bootstrap(Class<? extends Application> a, SeBootstrap.Configuration c) { throw new UnsupportedOperationException(); }
    @Override public EntityPart.Builder createEntityPartBuilder(String n) { throw new UnsupportedOperationException(); }

    private static final class Builder extends Response.ResponseBuilder {
        private int status = 200;
        private Object entity;
        private final MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();

        @Override public Response build() { return new Built(status, entity, headers); }
        @Override public Response.ResponseBuilder clone() { return this; }
        @Override public Response.ResponseBuilder status(int s) { status = s; return this; }
        @Override public Response.ResponseBuilder status(int s, String reason) { status = s; return this; }
        @Override public Response.ResponseBuilder entity(Object e) { entity = e; return this; }
        @Override public Response.ResponseBuilder entity(Object e, Annotation[] a) { entity = e; return this; }
        @Override public Response.ResponseBuilder header(String n, Object v) { headers.add(n, v); return this; }
        @Override public Response.ResponseBuilder type(MediaType t) { return header("Content-Type", t); }
        @Override public Response.ResponseBuilder type(String t) { return header("Content-Type", t); }
        @Override public Response.ResponseBuilder allow(String... m) { return this; }
        @Override public Response.ResponseBuilder allow(Set<String> m) { return this; }
        @Override public Response.ResponseBuilder cacheControl(CacheControl c) { return this; }
        @Override public Response.ResponseBuilder encoding(String e) { return this; }
        @Override public Response.ResponseBuilder replaceAll(MultivaluedMap<String, Object> h) { return this; }
        @Override public Response.ResponseBuilder language(String l) { return this; }
        @Override public Response.ResponseBuilder language(Locale l) { return this; }
        @Override public Response.ResponseBuilder variant(Variant v) { return this; }
        @Override public Response.ResponseBuilder contentLocation(URI u) { return this; }
        @Override public Response.ResponseBuilder cookie(NewCookie... c) { return this; }
        @Override public Response.ResponseBuilder expires(Date d) { return this; }
        @Override public Response.ResponseBuilder lastModified(Date d) { return this; }
        @Override public Response.ResponseBuilder location(URI u) { return this; }
        @Override public Response.ResponseBuilder tag(EntityTag t) { return this; }
        @Override public Response.ResponseBuilder tag(String t) { return this; }
        @Override public Response.ResponseBuilder variants(Variant... v) { return this; }
        @Override public Response.ResponseBuilder variants(List<Variant> v) { return this; }
        @Override public Response.ResponseBuilder links(Link... l) { return this; }
        @Override public Response.ResponseBuilder link(URI u, String r) { return this; }
        @Override public Response.ResponseBuilder link(String u, String r) { return this; }
    }

    private static final class Built extends Response {
        private final int status;
        private final Object entity;
        private final MultivaluedMap<String, Object> headers;

        Built(int status, Object entity, MultivaluedMap<String, Object> headers) {
            this.status = status;
            this.entity = entity;
            this.headers = headers;
        }

        @Override public int getStatus() { return status; }
        @Override public StatusType getStatusInfo() { return Status.fromStatusCode(status); }
        @Override public Object getEntity() { return entity; }
        @Override public MultivaluedMap<String, Object> getMetadata() { return headers; }
        @Override public String getHeaderString(String n) { return headers.containsKey(n) ? String.valueOf(headers.getFirst(n)) : null; }
        @Override public <T> T readEntity(Class<T> c) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(GenericType<T> t) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(Class<T> c, Annotation[] a) { throw new UnsupportedOperationException(); }
        @Override public <T> T readEntity(GenericType<T> t, Annotation[] a) { throw new UnsupportedOperationException(); }
        @Override public boolean hasEntity() { return entity != null; }
        @Override public boolean bufferEntity() { return false; }
        @Override public void close() { }
        @Override public MediaType getMediaType() { return null; }
        @Override public Locale getLanguage() { return null; }
        @Override public int getLength() { return -1; }
        @Override public Set<String> getAllowedMethods() { return Set.of(); }
        @Override public Map<String, NewCookie> getCookies() { return Map.of(); }
        @Override public EntityTag getEntityTag() { return null; }
        @Override public Date getDate() { return null; }
        @Override public Date getLastModified() { return null; }
        @Override public URI getLocation() { return null; }
        @Override public Set<Link> getLinks() { return Set.of(); }
        @Override public boolean hasLink(String r) { return false; }
        @Override public Link getLink(String r) { return null; }
        @Override public Link.Builder getLinkBuilder(String r) { return null; }
        @Override public MultivaluedMap<String, String> getStringHeaders() { return new MultivaluedHashMap<>(); }
    }
}
