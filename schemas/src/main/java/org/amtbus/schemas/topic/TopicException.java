package org.amtbus.schemas.topic;

/** A topic name that is not a valid amtbus v1 topic; the message says why without echoing it. */
public final class TopicException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TopicException(String reason) {
        super(reason);
    }
}
