package org.amtbus.apf;

import io.netty.buffer.ByteBuf;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

import org.amtbus.apf.ApfMessage.CancelTcpipForward;
import org.amtbus.apf.ApfMessage.ChannelClose;
import org.amtbus.apf.ApfMessage.ChannelData;
import org.amtbus.apf.ApfMessage.ChannelOpen;
import org.amtbus.apf.ApfMessage.ChannelOpenConfirmation;
import org.amtbus.apf.ApfMessage.ChannelOpenFailure;
import org.amtbus.apf.ApfMessage.ChannelWindowAdjust;
import org.amtbus.apf.ApfMessage.Disconnect;
import org.amtbus.apf.ApfMessage.KeepAliveOptionsReply;
import org.amtbus.apf.ApfMessage.KeepAliveOptionsRequest;
import org.amtbus.apf.ApfMessage.KeepAliveReply;
import org.amtbus.apf.ApfMessage.KeepAliveRequest;
import org.amtbus.apf.ApfMessage.ProtocolVersion;
import org.amtbus.apf.ApfMessage.RequestFailure;
import org.amtbus.apf.ApfMessage.RequestSuccess;
import org.amtbus.apf.ApfMessage.ServiceAccept;
import org.amtbus.apf.ApfMessage.ServiceRequest;
import org.amtbus.apf.ApfMessage.TcpipForward;
import org.amtbus.apf.ApfMessage.UdpSendTo;
import org.amtbus.apf.ApfMessage.UnknownGlobalRequest;
import org.amtbus.apf.ApfMessage.UserAuthFailure;
import org.amtbus.apf.ApfMessage.UserAuthRequest;
import org.amtbus.apf.ApfMessage.UserAuthSuccess;

/**
 * The APF wire format as pure functions, shared by the gateway (server) and the device simulator (client),
 * with or without Netty's pipeline.
 *
 * <p>Decoding contract: {@link #decode(ByteBuf)} looks at the readable bytes of {@code in}. If they start
 * with a whole message, it consumes exactly that message and returns it; if they hold only part of one,
 * it consumes nothing and returns empty (call again when more bytes arrived); if they can never become a
 * valid message, it throws {@link ApfProtocolException} and the connection must be closed. Every length
 * is checked against {@link ApfLimits} before bytes are awaited or allocated, and only bytes already
 * received are ever copied, so one call allocates at most {@link ApfLimits#MAX_FRAME_LENGTH} bytes.
 * No other exception escapes for any input.
 *
 * <p>Stateless and thread-safe; the buffers belong to the caller (normally a channel's event loop).
 */
public final class ApfCodec {

    /** The SSH max-packet value every APF peer puts in CHANNEL_OPEN and its confirmation. */
    static final long MAX_PACKET_UNLIMITED = ApfLimits.U32_MAX;

    private static final int PROTOCOL_VERSION_RESERVED = 64;
    private static final int DISCONNECT_RESERVED = 2;

    private ApfCodec() {
    }

    /**
     * Decodes the next message, reading REQUEST_SUCCESS as the 5-byte reply to {@code tcpip-forward}.
     *
     * @return the message, or empty if more bytes are needed
     * @throws ApfProtocolException if the bytes can never be a valid message
     */
    public static Optional<ApfMessage> decode(ByteBuf in) {
        return decode(in, true);
    }

    /**
     * Decodes the next message. The REQUEST_SUCCESS layout depends on the request it answers, which only
     * the requester knows: pass {@code false} for {@code requestSuccessCarriesPort} while the oldest
     * unanswered global request is a cancel.
     */
    public static Optional<ApfMessage> decode(ByteBuf in, boolean requestSuccessCarriesPort) {
        if (!in.isReadable()) {
            return Optional.empty();
        }
        Reader r = new Reader(in);
        ApfMessage message;
        try {
            message = read(r, requestSuccessCarriesPort);
        } catch (Incomplete e) {
            return Optional.empty();
        }
        in.readerIndex(r.pos);
        return Optional.of(message);
    }

    /**
     * MPS and MeshCentral send USERAUTH_FAILURE with one zero byte too many (15 bytes, not 14). Type 0 is
     * no APF message, so a zero byte right after a USERAUTH_FAILURE can only be that padding: this
     * consumes it and returns {@code true}. Call it before decoding the message that follows a failure.
     */
    public static boolean skipUserAuthFailurePadding(ByteBuf in) {
        if (in.isReadable() && in.getByte(in.readerIndex()) == 0) {
            in.skipBytes(1);
            return true;
        }
        return false;
    }

    private static ApfMessage read(Reader r, boolean requestSuccessCarriesPort) {
        int code = r.u8();
        ApfMessageType type = ApfMessageType.fromCode(code);
        if (type == null) {
            throw new ApfProtocolException(ApfProtocolException.Reason.UNKNOWN_MESSAGE_TYPE,
                    "type byte " + code + " is not an APF message");
        }
        try {
            return switch (type) {
                case DISCONNECT -> {
                    long reason = r.u32();
                    r.skip(DISCONNECT_RESERVED);
                    yield new Disconnect(reason);
                }
                case SERVICE_REQUEST -> new ServiceRequest(r.str("service"));
                case SERVICE_ACCEPT -> new ServiceAccept(r.str("service"));
                case USERAUTH_REQUEST -> readUserAuthRequest(r);
                case USERAUTH_FAILURE -> new UserAuthFailure(r.str("methods"), r.bool());
                case USERAUTH_SUCCESS -> new UserAuthSuccess();
                case GLOBAL_REQUEST -> readGlobalRequest(r);
                case REQUEST_SUCCESS -> requestSuccessCarriesPort
                        ? new RequestSuccess(OptionalInt.of(r.port("boundPort")))
                        : RequestSuccess.bare();
                case REQUEST_FAILURE -> new RequestFailure();
                case CHANNEL_OPEN -> {
                    String channelType = r.str("channelType");
                    long sender = r.u32();
                    long window = r.u32();
                    r.u32(); // max packet: always 0xFFFFFFFF, meaningless here
                    String connectedAddress = r.str("connectedAddress");
                    int connectedPort = r.port("connectedPort");
                    String originatorAddress = r.str("originatorAddress");
                    int originatorPort = r.port("originatorPort");
                    yield new ChannelOpen(channelType, sender, window, connectedAddress, connectedPort,
                            originatorAddress, originatorPort);
                }
                case CHANNEL_OPEN_CONFIRMATION -> {
                    long recipient = r.u32();
                    long sender = r.u32();
                    long window = r.u32();
                    r.u32(); // max packet
                    yield new ChannelOpenConfirmation(recipient, sender, window);
                }
                case CHANNEL_OPEN_FAILURE -> new ChannelOpenFailure(r.u32(), r.u32(), r.str("description"),
                        r.str("languageTag"));
                case CHANNEL_WINDOW_ADJUST -> new ChannelWindowAdjust(r.u32(), r.u32());
                case CHANNEL_DATA -> {
                    long recipient = r.u32();
                    int length = r.length(ApfLimits.MAX_CHANNEL_DATA_LENGTH,
                            ApfProtocolException.Reason.DATA_TOO_LONG, "CHANNEL_DATA payload");
                    yield new ChannelData(recipient, r.bytes(length));
                }
                case CHANNEL_CLOSE -> new ChannelClose(r.u32());
                case PROTOCOL_VERSION -> {
                    long major = r.u32();
                    long minor = r.u32();
                    long trigger = r.u32();
                    byte[] wireGuid = r.bytes(AmtGuid.WIRE_LENGTH);
                    r.skip(PROTOCOL_VERSION_RESERVED);
                    yield new ProtocolVersion(major, minor, trigger, AmtGuid.fromWire(wireGuid));
                }
                case KEEPALIVE_REQUEST -> new KeepAliveRequest(r.u32());
                case KEEPALIVE_REPLY -> new KeepAliveReply(r.u32());
                case KEEPALIVE_OPTIONS_REQUEST -> new KeepAliveOptionsRequest(r.u32(), r.u32());
                case KEEPALIVE_OPTIONS_REPLY -> new KeepAliveOptionsReply(r.u32(), r.u32());
            };
        } catch (IllegalArgumentException e) {
            // a record refused a value the layout allows; its message names the field, never its content
            throw new ApfProtocolException(ApfProtocolException.Reason.INVALID_FIELD, type + ": " + e.getMessage());
        }
    }

    private static ApfMessage readUserAuthRequest(Reader r) {
        String username = r.str("username");
        String service = r.str("service");
        String method = r.str("method");
        if (!UserAuthRequest.PASSWORD.equals(method)) {
            return new UserAuthRequest(username, service, method, new byte[0]);
        }
        if (r.u8() != 0) {
            // TRUE would mean SSH's password change, with a second password: AMT never sends it
            throw new ApfProtocolException(ApfProtocolException.Reason.INVALID_FIELD,
                    "USERAUTH_REQUEST: password change is not supported");
        }
        int length = r.length(ApfLimits.MAX_STRING_LENGTH, ApfProtocolException.Reason.STRING_TOO_LONG, "password");
        return new UserAuthRequest(username, service, method, r.bytes(length));
    }

    private static ApfMessage readGlobalRequest(Reader r) {
        String name = r.str("requestName");
        boolean wantReply = r.bool();
        return switch (name) {
            case ApfMessage.GlobalRequest.TCPIP_FORWARD -> new TcpipForward(wantReply, r.str("address"), r.port("port"));
            case ApfMessage.GlobalRequest.CANCEL_TCPIP_FORWARD ->
                    new CancelTcpipForward(wantReply, r.str("address"), r.port("port"));
            case ApfMessage.GlobalRequest.UDP_SEND_TO -> {
                String address = r.str("address");
                int port = r.port("port");
                String originator = r.str("originatorAddress");
                int originatorPort = r.port("originatorPort");
                int length = r.length(ApfLimits.MAX_UDP_DATA_LENGTH,
                        ApfProtocolException.Reason.DATA_TOO_LONG, "udp-send-to payload");
                yield new UdpSendTo(wantReply, address, port, originator, originatorPort, r.bytes(length));
            }
            default -> new UnknownGlobalRequest(name, wantReply);
        };
    }

    /** Writes {@code message} to {@code out}, exactly {@link #encodedLength(ApfMessage)} bytes. */
    public static void encode(ApfMessage message, ByteBuf out) {
        out.writeByte(message.type().code());
        switch (message) {
            case Disconnect m -> {
                writeU32(out, m.reasonCode());
                out.writeZero(DISCONNECT_RESERVED);
            }
            case ServiceRequest m -> writeStr(out, m.service());
            case ServiceAccept m -> writeStr(out, m.service());
            case UserAuthRequest m -> {
                writeStr(out, m.username());
                writeStr(out, m.service());
                writeStr(out, m.method());
                if (m.isPasswordMethod()) {
                    out.writeByte(0);
                    out.writeInt(m.passwordLength());
                    out.writeBytes(m.passwordUnsafe());
                }
            }
            case UserAuthFailure m -> {
                writeStr(out, m.methods());
                out.writeBoolean(m.partialSuccess());
            }
            case UserAuthSuccess m -> {
            }
            case TcpipForward m -> {
                writeStr(out, m.requestName());
                out.writeBoolean(m.wantReply());
                writeStr(out, m.address());
                writeU32(out, m.port());
            }
            case CancelTcpipForward m -> {
                writeStr(out, m.requestName());
                out.writeBoolean(m.wantReply());
                writeStr(out, m.address());
                writeU32(out, m.port());
            }
            case UdpSendTo m -> {
                writeStr(out, m.requestName());
                out.writeBoolean(m.wantReply());
                writeStr(out, m.address());
                writeU32(out, m.port());
                writeStr(out, m.originatorAddress());
                writeU32(out, m.originatorPort());
                out.writeInt(m.dataLength());
                out.writeBytes(m.dataUnsafe());
            }
            case UnknownGlobalRequest m -> {
                writeStr(out, m.requestName());
                out.writeBoolean(m.wantReply());
            }
            case RequestSuccess m -> {
                if (m.boundPort().isPresent()) {
                    out.writeInt(m.boundPort().getAsInt());
                }
            }
            case RequestFailure m -> {
            }
            case ChannelOpen m -> {
                writeStr(out, m.channelType());
                writeU32(out, m.senderChannel());
                writeU32(out, m.initialWindow());
                writeU32(out, MAX_PACKET_UNLIMITED);
                writeStr(out, m.connectedAddress());
                writeU32(out, m.connectedPort());
                writeStr(out, m.originatorAddress());
                writeU32(out, m.originatorPort());
            }
            case ChannelOpenConfirmation m -> {
                writeU32(out, m.recipientChannel());
                writeU32(out, m.senderChannel());
                writeU32(out, m.initialWindow());
                writeU32(out, MAX_PACKET_UNLIMITED);
            }
            case ChannelOpenFailure m -> {
                writeU32(out, m.recipientChannel());
                writeU32(out, m.reasonCode());
                writeStr(out, m.description());
                writeStr(out, m.languageTag());
            }
            case ChannelWindowAdjust m -> {
                writeU32(out, m.recipientChannel());
                writeU32(out, m.bytesToAdd());
            }
            case ChannelData m -> {
                writeU32(out, m.recipientChannel());
                out.writeInt(m.dataLength());
                out.writeBytes(m.dataUnsafe());
            }
            case ChannelClose m -> writeU32(out, m.recipientChannel());
            case ProtocolVersion m -> {
                writeU32(out, m.major());
                writeU32(out, m.minor());
                writeU32(out, m.triggerReason());
                out.writeBytes(AmtGuid.toWire(m.guid()));
                out.writeZero(PROTOCOL_VERSION_RESERVED);
            }
            case KeepAliveRequest m -> writeU32(out, m.cookie());
            case KeepAliveReply m -> writeU32(out, m.cookie());
            case KeepAliveOptionsRequest m -> {
                writeU32(out, m.intervalSeconds());
                writeU32(out, m.timeoutSeconds());
            }
            case KeepAliveOptionsReply m -> {
                writeU32(out, m.intervalSeconds());
                writeU32(out, m.timeoutSeconds());
            }
        }
    }

    /** The number of bytes {@link #encode} writes for {@code message}; never over {@link ApfLimits#MAX_FRAME_LENGTH}. */
    public static int encodedLength(ApfMessage message) {
        return 1 + switch (message) {
            case Disconnect m -> 4 + DISCONNECT_RESERVED;
            case ServiceRequest m -> strLength(m.service());
            case ServiceAccept m -> strLength(m.service());
            case UserAuthRequest m -> strLength(m.username()) + strLength(m.service()) + strLength(m.method())
                    + (m.isPasswordMethod() ? 1 + 4 + m.passwordLength() : 0);
            case UserAuthFailure m -> strLength(m.methods()) + 1;
            case UserAuthSuccess m -> 0;
            case TcpipForward m -> strLength(m.requestName()) + 1 + strLength(m.address()) + 4;
            case CancelTcpipForward m -> strLength(m.requestName()) + 1 + strLength(m.address()) + 4;
            case UdpSendTo m -> strLength(m.requestName()) + 1 + strLength(m.address()) + 4
                    + strLength(m.originatorAddress()) + 4 + 4 + m.dataLength();
            case UnknownGlobalRequest m -> strLength(m.requestName()) + 1;
            case RequestSuccess m -> m.boundPort().isPresent() ? 4 : 0;
            case RequestFailure m -> 0;
            case ChannelOpen m -> strLength(m.channelType()) + 4 + 4 + 4 + strLength(m.connectedAddress()) + 4
                    + strLength(m.originatorAddress()) + 4;
            case ChannelOpenConfirmation m -> 16;
            case ChannelOpenFailure m -> 8 + strLength(m.description()) + strLength(m.languageTag());
            case ChannelWindowAdjust m -> 8;
            case ChannelData m -> 8 + m.dataLength();
            case ChannelClose m -> 4;
            case ProtocolVersion m -> 12 + AmtGuid.WIRE_LENGTH + PROTOCOL_VERSION_RESERVED;
            case KeepAliveRequest m -> 4;
            case KeepAliveReply m -> 4;
            case KeepAliveOptionsRequest m -> 8;
            case KeepAliveOptionsReply m -> 8;
        };
    }

    private static int strLength(String s) {
        return 4 + ApfFields.utf8(s, "str").length;
    }

    private static void writeStr(ByteBuf out, String s) {
        byte[] bytes = ApfFields.utf8(s, "str");
        out.writeInt(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeU32(ByteBuf out, long value) {
        out.writeInt((int) value);
    }

    /** Signals "not all of the message is here yet"; preallocated and stackless, it never leaves this class. */
    private static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super(null, null, false, false);
        }
    }

    /** Reads fields at absolute indexes so that an incomplete message leaves the buffer untouched. */
    private static final class Reader {
        private final ByteBuf buf;
        private final int end;
        int pos;

        Reader(ByteBuf buf) {
            this.buf = buf;
            this.pos = buf.readerIndex();
            this.end = buf.writerIndex();
        }

        private void need(long n) {
            if (end - pos < n) {
                throw Incomplete.INSTANCE;
            }
        }

        int u8() {
            need(1);
            return buf.getUnsignedByte(pos++);
        }

        boolean bool() {
            // SSH: any non-zero byte is TRUE
            return u8() != 0;
        }

        long u32() {
            need(4);
            long v = buf.getUnsignedInt(pos);
            pos += 4;
            return v;
        }

        int port(String field) {
            long v = u32();
            if (v > ApfFields.MAX_PORT) {
                throw new ApfProtocolException(ApfProtocolException.Reason.INVALID_FIELD,
                        field + " " + v + " is not a port");
            }
            return (int) v;
        }

        /** Reads a length and refuses it before waiting for, or allocating, that many bytes. */
        int length(int max, ApfProtocolException.Reason reason, String field) {
            long v = u32();
            if (v > max) {
                throw new ApfProtocolException(reason, field + " length " + v + " is over the limit of " + max);
            }
            return (int) v;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = new byte[n];
            buf.getBytes(pos, out);
            pos += n;
            return out;
        }

        void skip(int n) {
            need(n);
            pos += n;
        }

        String str(String field) {
            int n = length(ApfLimits.MAX_STRING_LENGTH, ApfProtocolException.Reason.STRING_TOO_LONG, field);
            need(n);
            try {
                String s = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(buf.nioBuffer(pos, n))
                        .toString();
                pos += n;
                return s;
            } catch (CharacterCodingException e) {
                throw new ApfProtocolException(ApfProtocolException.Reason.MALFORMED_STRING,
                        field + " is not well-formed UTF-8");
            }
        }
    }
}
