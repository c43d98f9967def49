/**
 * APF (AMT Port Forwarding), the protocol Intel AMT speaks inside the TLS connection it dials to us (CIRA).
 *
 * <ul>
 *   <li>{@link org.amtbus.apf.ApfMessage}: one immutable record per message type.</li>
 *   <li>{@link org.amtbus.apf.ApfCodec}: the wire format as pure functions, bounded by
 *       {@link org.amtbus.apf.ApfLimits}; bad input is an
 *       {@link org.amtbus.apf.ApfProtocolException} with a countable reason.</li>
 *   <li>{@link org.amtbus.apf.ApfDecoder} / {@link org.amtbus.apf.ApfEncoder}: the codec in a
 *       Netty pipeline, used by both the gateway (server) and the device simulator (client).</li>
 *
 *   <li>{@link org.amtbus.apf.AmtGuid}: AMT's mixed-endian GUID bytes.</li>
 * </ul>
 */
package org.amtbus.apf;
