package org.amtbus.app;

import picocli.CommandLine;

/** The version from the jar manifest (set by the build). */
final class Version implements CommandLine.IVersionProvider {

    /** The version string, {@code development} outside a built jar. */
    static String current() {
        String v = Amtbus.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        String v = Amtbus.class.getPackage().getImplementationVersion();
        return new String[] {"amtbus " + (v == null ? "development build" : v)};
    }
}
