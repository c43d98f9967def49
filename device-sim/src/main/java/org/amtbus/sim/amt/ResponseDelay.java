package org.amtbus.sim.amt;

/**
 * Decides when a response is written while {@link Misbehaviour#SLOW} is on: run {@code write} now, later
 * (a scheduler), or never. Tests pass a queue they drain by hand, so no test sleeps.
 */
@FunctionalInterface
public interface ResponseDelay {
    void schedule(Runnable write);
}
