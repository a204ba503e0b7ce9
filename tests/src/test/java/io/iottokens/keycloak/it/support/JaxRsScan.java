package io.iottokens.keycloak.it.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The JAX-RS resource methods of a JAR, read from its class files (no class is loaded, so neither Keycloak nor the
 * JAX-RS API has to be on the test's class path): per class, every method annotated with {@code @GET}, {@code @POST},
 * {@code @PUT}, {@code @PATCH} or {@code @DELETE} and its {@code @Path} (and the class's own {@code @Path}, if any).
 */
public final class JaxRsScan {

    private static final Map<String, String> HTTP = Map.of(
            "Ljakarta/ws/rs/GET;", "GET", "Ljakarta/ws/rs/POST;", "POST", "Ljakarta/ws/rs/PUT;", "PUT",
            "Ljakarta/ws/rs/PATCH;", "PATCH", "Ljakarta/ws/rs/DELETE;", "DELETE");
    private static final String PATH = "Ljakarta/ws/rs/Path;";

    /** A resource method: {@code path} is the class's and the method's {@code @Path} joined ("" for neither). */
    public record Endpoint(String className, String javaMethod, String httpMethod, String path) {
    }

    private JaxRsScan() {
    }

    /** Every resource method of every class in the JAR, grouped by class name. */
    public static Map<String, List<Endpoint>> scan(Path jar) {
        Map<String, List<Endpoint>> out = new LinkedHashMap<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                if (entry.getName().endsWith(".class")) {
                    try (InputStream in = f.getInputStream(entry)) {
                        List<Endpoint> found = read(in.readAllBytes());
                        if (!found.isEmpty()) {
                            out.put(found.get(0).className(), found);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** One class file's resource methods. */
    static List<Endpoint> read(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        Map<Integer, Object> pool = new HashMap<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool.put(i, in.readUTF());
                case 7, 8, 16, 19, 20 -> pool.put(i, in.readUnsignedShort());
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    in.skipBytes(8);
                    i++;
                }
                case 15 -> in.skipBytes(3);
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort();
        String className = ((String) pool.get((Integer) pool.get(in.readUnsignedShort()))).replace('/', '.');
        in.readUnsignedShort();
        in.skipBytes(2 * in.readUnsignedShort());
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipBytes(6);
            annotations(in, pool);
        }
        record Method(String name, Map<String, String> annotations) {
        }
        List<Method> methods = new ArrayList<>();
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            String name = (String) pool.get(in.readUnsignedShort());
            in.readUnsignedShort();
            methods.add(new Method(name, annotations(in, pool)));
        }
        Map<String, String> classAnnotations = annotations(in, pool);
        String classPath = classAnnotations.getOrDefault(PATH, "");
        List<Endpoint> out = new ArrayList<>();
        for (Method m : methods) {
            for (Map.Entry<String, String> h : HTTP.entrySet()) {
                if (m.annotations().containsKey(h.getKey())) {
                    out.add(new Endpoint(className, m.name(), h.getValue(), join(classPath, m.annotations().getOrDefault(PATH, ""))));
                }
            }
        }
        return out;
    }

    private static String join(String a, String b) {
        String x = strip(a);
        String y = strip(b);
        return x.isEmpty() ? y : y.isEmpty() ? x : x + "/" + y;
    }

    private static String strip(String s) {
        String t = s.startsWith("/") ? s.substring(1) : s;
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    /** Reads an attributes table; returns the runtime-visible annotations found: type descriptor -> its {@code value} (string) or "". */
    private static Map<String, String> annotations(DataInputStream in, Map<Integer, Object> pool) throws IOException {
        Map<String, String> out = new HashMap<>();
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            String name = (String) pool.get(in.readUnsignedShort());
            int length = in.readInt();
            byte[] body = in.readNBytes(length);
            if ("RuntimeVisibleAnnotations".equals(name)) {
                DataInputStream b = new DataInputStream(new ByteArrayInputStream(body));
                int count = b.readUnsignedShort();
                for (int i = 0; i < count; i++) {
                    annotation(b, pool, out);
                }
            }
        }
        return out;
    }

    private static void annotation(DataInputStream b, Map<Integer, Object> pool, Map<String, String> out) throws IOException {
        String type = (String) pool.get(b.readUnsignedShort());
        String value = "";
        int pairs = b.readUnsignedShort();
        for (int p = 0; p < pairs; p++) {
            String element = (String) pool.get(b.readUnsignedShort());
            String v = elementValue(b, pool);
            if ("value".equals(element) && v != null) {
                value = v;
            }
        }
        if (out != null) {
            out.put(type, value);
        }
    }

    /** An element value; the text of a string constant, else null (skipped). */
    private static String elementValue(DataInputStream b, Map<Integer, Object> pool) throws IOException {
        int tag = b.readUnsignedByte();
        switch (tag) {
            case 's' -> {
                return (String) pool.get(b.readUnsignedShort());
            }
            case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 'c' -> b.skipBytes(2);
            case 'e' -> b.skipBytes(4);
            case '@' -> annotation(b, pool, null);
            case '[' -> {
                int n = b.readUnsignedShort();
                for (int i = 0; i < n; i++) {
                    elementValue(b, pool);
                }
            }
            default -> throw new IOException("unknown element value tag " + (char) tag);
        }
        return null;
    }
}
