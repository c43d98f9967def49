package org.amtbus.sim.cira;

/** Faults of the CIRA side a test can switch on in {@link CiraDevice} (the web service has its own). */
public enum CiraMisbehaviour {
    /** Logs in with a CIRA password that is not the registered one. */
    WRONG_CIRA_PASSWORD,
    /** After the login, sends bytes that are not APF. */
    GARBAGE_FRAMES,
    /** Drops the TCP connection without a word when the gateway sends data on a channel. */
    VANISH_MID_CHANNEL,
    /** Never sends keep-alives (the gateway's idle timeout must drop it). */
    SILENT,
    /** Answers a channel open by sending more data than the gateway's window allows. */
    FLOOD_CHANNEL
}
