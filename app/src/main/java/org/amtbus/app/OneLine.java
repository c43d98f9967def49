package org.amtbus.app;

/** Turns an exception into one line for a person: the deepest message that says something, without newlines. */
final class OneLine {

    private OneLine() {
    }

    static String of(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        while ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
            cause = cause.getCause();
        }
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
