package org.amtbus.apf;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.UUID;

import static org.amtbus.apf.ApfFields.bytes;
import static org.amtbus.apf.ApfFields.str;
import static org.amtbus.apf.ApfFields.u32;

/**
 * One APF message, as the device (D) and the server (S) exchange them inside TLS.
 *
 * <p>Invariants, checked in every record's constructor: unsigned 32-bit wire fields are {@code long}s in
 * {@code [0, 2^32-1]}, ports are in {@code [0, 65535]}, strings encode to well-formed UTF-8 of at most
 * {@link ApfLimits#MAX_STRING_LENGTH} bytes, and byte payloads respect their limits. So every value of
 * this type can be encoded, and decodes back to an equal value. Records holding bytes copy them in and out,
 * compare them by content, and never print them: a password prints as {@code [hidden]}, a payload as its
 * length (payloads carry HTTP Digest headers).
 *
 * <p>Records are immutable and safe to share between threads.
 */
public sealed interface ApfMessage {

    /** The message's type byte. */
    ApfMessageType type();

    /** DISCONNECT: reason code, then a reserved {@code u16} (7 bytes). */
    record Disconnect(long reasonCode) implements ApfMessage {
        public static final long PROTOCOL_ERROR = 2;
        public static final long SERVICE_NOT_AVAILABLE = 7;
        public static final long BY_APPLICATION = 11;
        public static final long TOO_MANY_CONNECTIONS = 12;

        public Disconnect {
            u32(reasonCode, "reasonCode");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.DISCONNECT;
        }
    }

    /** SERVICE_REQUEST (D to S): {@value #AUTH} first, {@value #PFWD} after authentication. */
    record ServiceRequest(String service) implements ApfMessage {
        public static final String AUTH = "auth@amt.intel.com";
        public static final String PFWD = "pfwd@amt.intel.com";

        public ServiceRequest {
            str(service, "service");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.SERVICE_REQUEST;
        }
    }

    /** SERVICE_ACCEPT (S to D): echoes the requested service. */
    record ServiceAccept(String service) implements ApfMessage {
        public ServiceAccept {
            str(service, "service");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.SERVICE_ACCEPT;
        }
    }

    /**
     * USERAUTH_REQUEST (D to S). With method {@value #PASSWORD} the wire carries a FALSE byte and the
     * password {@code str}; with any other method nothing follows the method, and {@code password} is
     * empty. The password is raw bytes (never a {@code String}, so it can be wiped); it is copied in and
     * out, compared in constant time, and {@link #toString()} prints {@code [hidden]}.
     */
    record UserAuthRequest(String username, String service, String method, byte[] password) implements ApfMessage {
        public static final String PASSWORD = "password";

        public UserAuthRequest {
            str(username, "username");
            str(service, "service");
            str(method, "method");
            password = bytes(password, ApfLimits.MAX_STRING_LENGTH, "password");
            if (!PASSWORD.equals(method) && password.length != 0) {
                throw new IllegalArgumentException("only the password method carries a password");
            }
        }

        /** A password login, the only method AMT uses. */
        public static UserAuthRequest password(String username, String service, byte[] password) {
            return new UserAuthRequest(username, service, PASSWORD, password);
        }

        public boolean isPasswordMethod() {
            return PASSWORD.equals(method);
        }

        /** A copy of the password; the caller should wipe it after use. */
        @Override
        public byte[] password() {
            return password.clone();
        }

        int passwordLength() {
            return password.length;
        }

        byte[] passwordUnsafe() {
            return password;
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.USERAUTH_REQUEST;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UserAuthRequest other
                    && username.equals(other.username)
                    && service.equals(other.service)
                    && method.equals(other.method)
                    && MessageDigest.isEqual(password, other.password);
        }

        @Override
        public int hashCode() {
            // the password stays out of the hash so that hashes cannot leak it
            return Objects.hash(username, service, method);
        }

        @Override
        public String toString() {
            return "UserAuthRequest[username=" + username + ", service=" + service + ", method=" + method
                    + ", password=[hidden]]";
        }
    }

    /** USERAUTH_FAILURE (S to D): the methods that may continue, and the partial-success flag (14 bytes). */
    record UserAuthFailure(String methods, boolean partialSuccess) implements ApfMessage {
        public UserAuthFailure {
            str(methods, "methods");
        }

        /** What MPS sends: only {@code password} may continue, no partial success. */
        public static UserAuthFailure passwordOnly() {
            return new UserAuthFailure(UserAuthRequest.PASSWORD, false);
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.USERAUTH_FAILURE;
        }
    }

    /** USERAUTH_SUCCESS (S to D), 1 byte. */
    record UserAuthSuccess() implements ApfMessage {
        @Override
        public ApfMessageType type() {
            return ApfMessageType.USERAUTH_SUCCESS;
        }
    }

    /**
     * GLOBAL_REQUEST (D to S): request name, want-reply, then a body chosen by the name. A name we do not
     * know is assumed to carry no body, as MPS does.
     */
    sealed interface GlobalRequest extends ApfMessage {
        String TCPIP_FORWARD = "tcpip-forward";
        String CANCEL_TCPIP_FORWARD = "cancel-tcpip-forward";
        String UDP_SEND_TO = "udp-send-to@amt.intel.com";

        String requestName();

        boolean wantReply();

        @Override
        default ApfMessageType type() {
            return ApfMessageType.GLOBAL_REQUEST;
        }
    }

    /** {@code tcpip-forward}: the device offers one of its ports (16992, 16993, ...). */
    record TcpipForward(boolean wantReply, String address, long port) implements GlobalRequest {
        public TcpipForward {
            str(address, "address");
            ApfFields.port(port, "port");
        }

        @Override
        public String requestName() {
            return TCPIP_FORWARD;
        }
    }

    /** {@code cancel-tcpip-forward}: the device withdraws a port. */
    record CancelTcpipForward(boolean wantReply, String address, long port) implements GlobalRequest {
        public CancelTcpipForward {
            str(address, "address");
            ApfFields.port(port, "port");
        }

        @Override
        public String requestName() {
            return CANCEL_TCPIP_FORWARD;
        }
    }

    /** {@code udp-send-to@amt.intel.com}: one datagram; MPS consumes it without a reply. */
    record UdpSendTo(boolean wantReply, String address, long port, String originatorAddress, long originatorPort,
                     byte[] data) implements GlobalRequest {
        public UdpSendTo {
            str(address, "address");
            ApfFields.port(port, "port");
            str(originatorAddress, "originatorAddress");
            ApfFields.port(originatorPort, "originatorPort");
            data = bytes(data, ApfLimits.MAX_UDP_DATA_LENGTH, "data");
        }

        @Override
        public String requestName() {
            return UDP_SEND_TO;
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        int dataLength() {
            return data.length;
        }

        byte[] dataUnsafe() {
            return data;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UdpSendTo other
                    && wantReply == other.wantReply
                    && address.equals(other.address)
                    && port == other.port
                    && originatorAddress.equals(other.originatorAddress)
                    && originatorPort == other.originatorPort
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(wantReply, address, port, originatorAddress, originatorPort, Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "UdpSendTo[wantReply=" + wantReply + ", address=" + address + ", port=" + port
                    + ", originatorAddress=" + originatorAddress + ", originatorPort=" + originatorPort
                    + ", data=" + data.length + " bytes]";
        }
    }

    /** A global request with a name we do not know; it has no body. */
    record UnknownGlobalRequest(String requestName, boolean wantReply) implements GlobalRequest {
        public UnknownGlobalRequest {
            str(requestName, "requestName");
            if (requestName.equals(TCPIP_FORWARD) || requestName.equals(CANCEL_TCPIP_FORWARD)
                    || requestName.equals(UDP_SEND_TO)) {
                throw new IllegalArgumentException(requestName + " is a known request");
            }
        }
    }

    /**
     * REQUEST_SUCCESS (S to D): with the bound port in reply to {@code tcpip-forward} (5 bytes), bare in
     * reply to a cancel (1 byte). The wire does not say which; see {@link ApfCodec#decode(io.netty.buffer.ByteBuf, boolean)}.
     */
    record RequestSuccess(OptionalInt boundPort) implements ApfMessage {
        public RequestSuccess {
            Objects.requireNonNull(boundPort, "boundPort");
            if (boundPort.isPresent()) {
                ApfFields.port(boundPort.getAsInt(), "boundPort");
            }
        }

        public static RequestSuccess forPort(int port) {
            return new RequestSuccess(OptionalInt.of(port));
        }

        public static RequestSuccess bare() {
            return new RequestSuccess(OptionalInt.empty());
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.REQUEST_SUCCESS;
        }
    }

    /** REQUEST_FAILURE (S to D), 1 byte. */
    record RequestFailure() implements ApfMessage {
        @Override
        public ApfMessageType type() {
            return ApfMessageType.REQUEST_FAILURE;
        }
    }

    /**
     * CHANNEL_OPEN, normally S to D: the opener's channel id and receive window, then the forwarded address
     * and the originator. The SSH max-packet field is always sent as 0xFFFFFFFF and ignored when read.
     */
    record ChannelOpen(String channelType, long senderChannel, long initialWindow, String connectedAddress,
                       long connectedPort, String originatorAddress, long originatorPort) implements ApfMessage {
        public static final String FORWARDED_TCPIP = "forwarded-tcpip";
        public static final String DIRECT_TCPIP = "direct-tcpip";

        public ChannelOpen {
            str(channelType, "channelType");
            u32(senderChannel, "senderChannel");
            u32(initialWindow, "initialWindow");
            str(connectedAddress, "connectedAddress");
            ApfFields.port(connectedPort, "connectedPort");
            str(originatorAddress, "originatorAddress");
            ApfFields.port(originatorPort, "originatorPort");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_OPEN;
        }
    }

    /** CHANNEL_OPEN_CONFIRMATION: the opener's id, the responder's id and the responder's window (17 bytes). */
    record ChannelOpenConfirmation(long recipientChannel, long senderChannel, long initialWindow)
            implements ApfMessage {
        public ChannelOpenConfirmation {
            u32(recipientChannel, "recipientChannel");
            u32(senderChannel, "senderChannel");
            u32(initialWindow, "initialWindow");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_OPEN_CONFIRMATION;
        }
    }

    /**
     * CHANNEL_OPEN_FAILURE: the opener's id and a reason code, then SSH's description and language strings,
     * which every APF peer sends empty (the "0, 0" of 17 bytes).
     */
    record ChannelOpenFailure(long recipientChannel, long reasonCode, String description, String languageTag)
            implements ApfMessage {
        public static final long ADMINISTRATIVELY_PROHIBITED = 1;
        public static final long CONNECT_FAILED = 2;
        public static final long UNKNOWN_CHANNEL_TYPE = 3;
        public static final long RESOURCE_SHORTAGE = 4;

        public ChannelOpenFailure {
            u32(recipientChannel, "recipientChannel");
            u32(reasonCode, "reasonCode");
            str(description, "description");
            str(languageTag, "languageTag");
        }

        public ChannelOpenFailure(long recipientChannel, long reasonCode) {
            this(recipientChannel, reasonCode, "", "");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_OPEN_FAILURE;
        }
    }

    /** CHANNEL_WINDOW_ADJUST: the receiver's id and the credit returned (9 bytes). */
    record ChannelWindowAdjust(long recipientChannel, long bytesToAdd) implements ApfMessage {
        public ChannelWindowAdjust {
            u32(recipientChannel, "recipientChannel");
            u32(bytesToAdd, "bytesToAdd");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_WINDOW_ADJUST;
        }
    }

    /**
     * CHANNEL_DATA: the receiver's id and up to {@link ApfLimits#MAX_CHANNEL_DATA_LENGTH} bytes. The payload
     * is copied in and out and never printed (it carries HTTP Digest headers).
     */
    record ChannelData(long recipientChannel, byte[] data) implements ApfMessage {
        public ChannelData {
            u32(recipientChannel, "recipientChannel");
            data = bytes(data, ApfLimits.MAX_CHANNEL_DATA_LENGTH, "data");
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int dataLength() {
            return data.length;
        }

        byte[] dataUnsafe() {
            return data;
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_DATA;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChannelData other
                    && recipientChannel == other.recipientChannel
                    && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(recipientChannel) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "ChannelData[recipientChannel=" + recipientChannel + ", data=" + data.length + " bytes]";
        }
    }

    /** CHANNEL_CLOSE: the receiver's id (5 bytes). */
    record ChannelClose(long recipientChannel) implements ApfMessage {
        public ChannelClose {
            u32(recipientChannel, "recipientChannel");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.CHANNEL_CLOSE;
        }
    }

    /**
     * PROTOCOL_VERSION (D to S, first message): version, trigger reason and the device GUID, then 64
     * reserved zero bytes (93 bytes). The GUID is canonical; {@link AmtGuid} does the mixed-endian swap.
     */
    record ProtocolVersion(long major, long minor, long triggerReason, UUID guid) implements ApfMessage {
        public static final long TRIGGER_USER_INITIATED = 1;
        public static final long TRIGGER_ALERT = 2;
        public static final long TRIGGER_PROVISIONING = 3;
        public static final long TRIGGER_PERIODIC = 4;
        public static final long TRIGGER_LME = 254;

        public ProtocolVersion {
            u32(major, "major");
            u32(minor, "minor");
            u32(triggerReason, "triggerReason");
            Objects.requireNonNull(guid, "guid");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.PROTOCOL_VERSION;
        }
    }

    /** KEEPALIVE_REQUEST, normally D to S; the cookie must be echoed. */
    record KeepAliveRequest(long cookie) implements ApfMessage {
        public KeepAliveRequest {
            u32(cookie, "cookie");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.KEEPALIVE_REQUEST;
        }
    }

    /** KEEPALIVE_REPLY: the echoed cookie. */
    record KeepAliveReply(long cookie) implements ApfMessage {
        public KeepAliveReply {
            u32(cookie, "cookie");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.KEEPALIVE_REPLY;
        }
    }

    /** KEEPALIVE_OPTIONS_REQUEST (S to D): the keepalive interval and timeout in seconds. */
    record KeepAliveOptionsRequest(long intervalSeconds, long timeoutSeconds) implements ApfMessage {
        public KeepAliveOptionsRequest {
            u32(intervalSeconds, "intervalSeconds");
            u32(timeoutSeconds, "timeoutSeconds");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.KEEPALIVE_OPTIONS_REQUEST;
        }
    }

    /** KEEPALIVE_OPTIONS_REPLY (D to S): the values the device accepted. */
    record KeepAliveOptionsReply(long intervalSeconds, long timeoutSeconds) implements ApfMessage {
        public KeepAliveOptionsReply {
            u32(intervalSeconds, "intervalSeconds");
            u32(timeoutSeconds, "timeoutSeconds");
        }

        @Override
        public ApfMessageType type() {
            return ApfMessageType.KEEPALIVE_OPTIONS_REPLY;
        }
    }
}
