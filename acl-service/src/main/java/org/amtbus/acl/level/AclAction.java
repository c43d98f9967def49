package org.amtbus.acl.level;

/**
 * What a client asks to do with a topic; the key of a cached decision.
 *
 * <p>{@link #PUBLISH} and {@link #RECEIVE} carry a concrete topic name (go-auth {@code acc} 2 and
 * 1), {@link #SUBSCRIBE} carries a topic filter ({@code acc} 4).
 */
public enum AclAction {
    PUBLISH,
    SUBSCRIBE,
    RECEIVE;

    /** The decision {@code policy} gives this action on {@code topic}. */
    public boolean decide(AclPolicy policy, String topic) {
        return switch (this) {
            case PUBLISH -> policy.canPublish(topic);
            case SUBSCRIBE -> policy.canSubscribe(topic);
            case RECEIVE -> policy.canReceive(topic);
        };
    }
}
