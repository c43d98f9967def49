package org.amtbus.acl.level;

/**
 * The access level an account holds on a topic pattern: 0 none, 1 subscribe, 2 publish, 3 both.
 *
 * <p>The numbers are the stored values (and the SceneScape / go-auth "readwrite = 3" convention);
 * bit 0 is subscribe (read), bit 1 is publish (write). {@link #NONE} is more than "nothing": in an
 * {@link AclPolicy} a NONE grant is an explicit deny that is evaluated before every allowing grant.
 */
public enum AclLevel {
    NONE(0),
    SUBSCRIBE(1),
    PUBLISH(2),
    BOTH(3);

    private final int code;

    AclLevel(int code) {
        this.code = code;
    }

    /** The stored number, 0-3. */
    public int code() {
        return code;
    }

    /** True for levels 1 and 3: the holder may subscribe and receive. */
    public boolean allowsSubscribe() {
        return (code & 1) != 0;
    }

    /** True for levels 2 and 3: the holder may publish. */
    public boolean allowsPublish() {
        return (code & 2) != 0;
    }

    /**
     * The level stored as {@code code}.
     *
     * @throws IllegalArgumentException for anything but 0, 1, 2 or 3 (in particular go-auth's
     *     {@code acc} value 4, which is an action, not a level)
     */
    public static AclLevel of(int code) {
        return switch (code) {
            case 0 -> NONE;
            case 1 -> SUBSCRIBE;
            case 2 -> PUBLISH;
            case 3 -> BOTH;
            default -> throw new IllegalArgumentException("access level must be 0, 1, 2 or 3, was " + code);
        };
    }
}
