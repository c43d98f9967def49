package org.amtbus.sim.amt;

/** Where a simulated connection writes; an APF channel or an in-memory pipe. */
public interface ByteSink {
    void write(byte[] data);

    /** The device closes its side. */
    void close();
}
