/**
 * APF (AMT Port Forwarding), the protocol Intel AMT speaks inside the TLS connection it dials to us (CIRA).
 *
 * <ul>
 *   <li>{@link org.amtbus.gateway.apf.ApfMessage}: one immutable record per message type.</li>
 *   <li>{@link org.amtbus.gateway.apf.ApfCodec}: the wire format as pure functions, bounded by
 *       {@link org.amtbus.gateway.apf.ApfLimits}; bad input is an
 *       {@link org.amtbus.gateway.apf.ApfProtocolException} with a countable reason.</li>
 *   <li>{@link org.amtbus.gateway.apf.ApfDecoder} / {@link org.amtbus.gateway.apf.ApfEncoder}: the codec in a
 *       Netty pipeline, used by both the gateway and the device simulator.</li>
 *   <li>{@link org.amtbus.gateway.apf.ApfSession}: the server's rules for one connection (handshake order,
 *       authentication gating, forwarded ports, channels and their windows), without I/O.</li>
 *   <li>{@link org.amtbus.gateway.apf.AmtGuid}: AMT's mixed-endian GUID bytes.</li>
 * </ul>
 */
package org.amtbus.gateway.apf;
