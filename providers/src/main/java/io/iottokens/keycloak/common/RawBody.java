package io.iottokens.keycloak.common;

import java.io.IOException;
import java.io.InputStream;

/** A raw request body (signed requests are verified over the exact bytes), read with a size limit. */
public final class RawBody {

    private RawBody() {
    }

    public static byte[] read(InputStream in, int maxBytes) {
        try {
            byte[] raw = in == null ? new byte[0] : in.readNBytes(maxBytes + 1);
            if (raw.length > maxBytes) {
                throw ApiError.tooLarge("The request body is larger than " + maxBytes + " bytes");
            }
            return raw;
        } catch (IOException e) {
            throw ApiError.badRequest("The request body could not be read");
        }
    }
}
