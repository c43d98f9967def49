package org.amtbus.acl.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import org.amtbus.acl.admin.AccountAdmin;
import org.amtbus.schemas.Json;

/** JSON answers and the mapping of refused administrative changes to HTTP statuses. Thread-safe. */
final class JsonAnswers {

    private static final ObjectMapper JSON = Json.newMapper();

    private JsonAnswers() {
    }

    static ApiResponse json(int status, Object value) {
        try {
            return ApiResponse.json(status, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 400, 404 or 409 with the refusal's reason (which names no secret). */
    static ApiProblem problemOf(AccountAdmin.AdminException e) {
        return new ApiProblem(switch (e.problem()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
        }, e.getMessage());
    }

    static String required(String value, String field, int maxLength) {
        if (value == null || value.isEmpty()) {
            throw ApiProblem.badRequest("field '" + field + "' is required");
        }
        if (value.length() > maxLength) {
            throw ApiProblem.badRequest("field '" + field + "' is longer than " + maxLength + " characters");
        }
        return value;
    }
}
