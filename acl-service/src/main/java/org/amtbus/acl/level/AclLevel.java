package org.amtbus.acl.level;

/** What an account may do on a topic pattern: 0 none (default), 1 subscribe, 2 publish, 3 both. */
public enum AclLevel {
    NONE(0), SUBSCRIBE(1), PUBLISH(2), BOTH(3);

    private final int value;

    AclLevel(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public boolean allowsSubscribe() {
        return (value & 1) != 0;
    }

    public boolean allowsPublish() {
        return (value & 2) != 0;
    }

    public static AclLevel of(int value) {
        for (AclLevel level : values()) {
            if (level.value == value) {
                return level;
            }
        }
        throw new IllegalArgumentException("a level is 0, 1, 2 or 3");
    }
}
