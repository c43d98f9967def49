package org.amtbus.wsman.client;

import org.amtbus.wsman.message.SoapFault;

/** The outcome of one WS-Man exchange: a value or a typed failure with a reason free of secrets. */
public sealed interface WsmanResult<T> {

    record Success<T>(T value) implements WsmanResult<T> {
    }

    /** @param fault the SOAP fault when {@code kind} is {@link FailureKind#FAULT}, else null */
    record Failure<T>(FailureKind kind, String reason, SoapFault fault) implements WsmanResult<T> {
        public Failure {
            if (kind == null || reason == null || reason.isEmpty()) {
                throw new IllegalArgumentException("a failure needs a kind and a reason");
            }
        }

        /** The same failure typed for another value. */
        public <U> Failure<U> cast() {
            return new Failure<>(kind, reason, fault);
        }
    }
}
