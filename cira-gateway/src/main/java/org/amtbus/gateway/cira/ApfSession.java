package org.amtbus.gateway.cira;

import org.amtbus.apf.ApfLimits;
import org.amtbus.apf.ApfMessage;
import org.amtbus.apf.ApfProtocolException;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.amtbus.apf.ApfMessage.*;
import org.amtbus.apf.ApfProtocolException.Reason;

/**
 * The server side of one CIRA connection as a pure state machine: it takes the messages the device sent,
 * returns the replies to write and the events for the gateway, and refuses anything out of order.
 *
 * <p>Invariants: messages are accepted only in the order PROTOCOL_VERSION, SERVICE_REQUEST
 * {@code auth@amt.intel.com}, USERAUTH_REQUEST (until one succeeds), SERVICE_REQUEST
 * {@code pfwd@amt.intel.com}, then {@code tcpip-forward} requests; unlike MPS, nothing of port
 * forwarding is accepted before authentication. Channels are opened only by us, only to a port the
 * device forwarded, and at most {@link Config#maxChannels()} at a time. The device never gets more than
 * the window we advertised: CHANNEL_DATA beyond it is a protocol violation, and we return credit with
 * WINDOW_ADJUST only for bytes the gateway reports as consumed. We never send more than the device's
 * window. A violation throws {@link ApfProtocolException}; the connection must then be closed.
 *
 * <p>Not thread-safe: one instance per connection, used on that connection's event loop. Nothing here
 * blocks; the password check is handed back to the caller as {@link Event.AuthenticationRequested}.
 */
public final class ApfSession {

    /** The AMT WS-Man ports a device may forward to us: HTTP and TLS. */
    public static final Set<Integer> WSMAN_PORTS = Set.of(16992, 16993);

    /** Our first channel id; MPS also starts at 4, which keeps traces comparable. */
    static final long FIRST_CHANNEL_ID = 4;

    /** Password attempts per connection; MPS allows unlimited, bounded only by its idle timeout. */
    public static final int MAX_AUTH_ATTEMPTS = 3;

    /** Keepalive interval we ask for: 30 s, well under the 90 s idle timeout (MeshCentral PR #3412). */
    public static final long KEEPALIVE_INTERVAL_SECONDS = 30;

    /**
     * Settings of a session.
     *
     * @param maxChannels   channels open at once per device; the Go console uses at most 6
     * @param receiveWindow the window we advertise per channel, in bytes (MPS: 32 KiB, since 2025-09 80 KiB)
     * @param keepAliveSeconds the keep-alive interval we ask devices for; must stay well under the idle timeout
     */
    public record Config(int maxChannels, long receiveWindow, long keepAliveSeconds) {
        public static final int DEFAULT_MAX_CHANNELS = 6;
        public static final long DEFAULT_RECEIVE_WINDOW = 32 * 1024;
        public static final long MIN_RECEIVE_WINDOW = 4096;
        public static final long MAX_RECEIVE_WINDOW = ApfLimits.MAX_CHANNEL_DATA_LENGTH;

        public Config {
            if (maxChannels < 1 || maxChannels > 64) {
                throw new IllegalArgumentException("maxChannels must be 1-64, not " + maxChannels);
            }
            if (receiveWindow < MIN_RECEIVE_WINDOW || receiveWindow > MAX_RECEIVE_WINDOW) {
                throw new IllegalArgumentException("receiveWindow must be " + MIN_RECEIVE_WINDOW + "-"
                        + MAX_RECEIVE_WINDOW + ", not " + receiveWindow);
            }
            if (keepAliveSeconds < 1 || keepAliveSeconds > KEEPALIVE_INTERVAL_SECONDS) {
                throw new IllegalArgumentException("keepAliveSeconds must be 1-" + KEEPALIVE_INTERVAL_SECONDS + ", not "
                        + keepAliveSeconds);
            }
        }

        public Config(int maxChannels, long receiveWindow) {
            this(maxChannels, receiveWindow, KEEPALIVE_INTERVAL_SECONDS);
        }

        public static Config defaults() {
            return new Config(DEFAULT_MAX_CHANNELS, DEFAULT_RECEIVE_WINDOW);
        }

        /**
         * The same, asking for keep-alives at most a third of {@code idleTimeout} apart, so a device that follows
         * them is never dropped as idle (a gateway configured with a short idle timeout would otherwise drop
         * every well-behaved device).
         */
        public Config keepingAliveWithin(java.time.Duration idleTimeout) {
            long third = Math.max(1, idleTimeout.toSeconds() / 3);
            return new Config(maxChannels, receiveWindow, Math.min(keepAliveSeconds, third));
        }
    }

    /** Where the handshake stands. */
    public enum State {
        AWAITING_PROTOCOL_VERSION,
        AWAITING_AUTH_SERVICE,
        AWAITING_USERAUTH,
        AUTHENTICATING,
        AWAITING_PFWD_SERVICE,
        FORWARDING
    }

    /** What the gateway must act on, besides writing the replies. */
    public sealed interface Event {
        /** PROTOCOL_VERSION arrived: the gateway may look the device up (and close if it is unknown). */
        record DeviceIdentified(UUID guid, long major, long minor, long triggerReason) implements Event {
        }

        /** Check these credentials, then call {@link #completeAuthentication(boolean)}. */
        record AuthenticationRequested(UUID guid, String username, byte[] password) implements Event {
            public AuthenticationRequested {
                password = password.clone();
            }

            @Override
            public byte[] password() {
                return password.clone();
            }

            @Override
            public boolean equals(Object o) {
                return o instanceof AuthenticationRequested other && guid.equals(other.guid)
                        && username.equals(other.username)
                        && MessageDigest.isEqual(password, other.password);
            }

            @Override
            public int hashCode() {
                return Objects.hash(guid, username);
            }

            @Override
            public String toString() {
                return "AuthenticationRequested[guid=" + guid + ", username=" + username + ", password=[hidden]]";
            }
        }

        record PortForwarded(int port) implements Event {
        }

        record ChannelOpened(long channelId) implements Event {
        }

        record ChannelOpenFailed(long channelId, long reasonCode) implements Event {
        }

        /** Bytes for the channel; report them with {@link #consumed(long, int)} once processed. */
        record ChannelDataReceived(long channelId, int length) implements Event {
        }

        record ChannelClosed(long channelId) implements Event {
        }

        /** The device sent DISCONNECT: close the connection. */
        record Disconnected(long reasonCode) implements Event {
        }
    }

    /** The replies to write, in order, and the events for the gateway. */
    public record Step(List<ApfMessage> replies, List<Event> events) {
        public Step {
            replies = List.copyOf(replies);
            events = List.copyOf(events);
        }

        static Step of(List<ApfMessage> replies, List<Event> events) {
            return new Step(replies, events);
        }
    }

    private enum ChannelState { OPENING, OPEN, CLOSING }

    /** One channel we opened. Ids: {@code id} is ours, {@code peerId} the device's. */
    private static final class Channel {
        final long id;
        final int port;
        ChannelState state = ChannelState.OPENING;
        long peerId;
        long sendCredit;
        long receiveRemaining;
        long consumedUnacknowledged;
        boolean closeWhenConfirmed;

        Channel(long id, int port, long window) {
            this.id = id;
            this.port = port;
            this.receiveRemaining = window;
        }
    }

    private final Config config;
    private final Map<Long, Channel> channels = new HashMap<>();
    private final Set<Integer> forwardedPorts = new TreeSet<>();
    private State state = State.AWAITING_PROTOCOL_VERSION;
    private UUID guid;
    private long nextChannelId = FIRST_CHANNEL_ID;
    private boolean keepAliveOptionsSent;
    private int authAttempts;

    public ApfSession(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public State state() {
        return state;
    }

    public Optional<UUID> guid() {
        return Optional.ofNullable(guid);
    }

    public Set<Integer> forwardedPorts() {
        return Set.copyOf(forwardedPorts);
    }

    /**
     * Applies one message from the device.
     *
     * @throws ApfProtocolException if the message is not allowed now; close the connection
     */
    public Step receive(ApfMessage message) {
        Objects.requireNonNull(message, "message");
        List<ApfMessage> replies = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        switch (message) {
            case Disconnect m -> events.add(new Event.Disconnected(m.reasonCode()));
            case KeepAliveRequest m when state != State.AWAITING_PROTOCOL_VERSION ->
                    replies.add(new KeepAliveReply(m.cookie()));
            case KeepAliveOptionsReply m when keepAliveOptionsSent -> {
                // the device's accepted values; MPS only logs them
            }
            case ProtocolVersion m when state == State.AWAITING_PROTOCOL_VERSION -> {
                guid = m.guid();
                state = State.AWAITING_AUTH_SERVICE;
                events.add(new Event.DeviceIdentified(m.guid(), m.major(), m.minor(), m.triggerReason()));
            }
            case ServiceRequest m when state == State.AWAITING_AUTH_SERVICE && m.service().equals(ServiceRequest.AUTH) -> {
                state = State.AWAITING_USERAUTH;
                replies.add(new ServiceAccept(m.service()));
            }
            case UserAuthRequest m when state == State.AWAITING_USERAUTH -> {
                if (++authAttempts > MAX_AUTH_ATTEMPTS) {
                    throw new ApfProtocolException(Reason.UNEXPECTED_MESSAGE,
                            "more than " + MAX_AUTH_ATTEMPTS + " authentication attempts");
                }
                if (m.isPasswordMethod()) {
                    state = State.AUTHENTICATING;
                    events.add(new Event.AuthenticationRequested(guid, m.username(), m.password()));
                } else {
                    replies.add(UserAuthFailure.passwordOnly());
                }
            }
            case ServiceRequest m when state == State.AWAITING_PFWD_SERVICE && m.service().equals(ServiceRequest.PFWD) -> {
                state = State.FORWARDING;
                replies.add(new ServiceAccept(m.service()));
            }
            case TcpipForward m when state == State.FORWARDING -> forward(m, replies, events);
            case CancelTcpipForward m when state == State.FORWARDING -> {
                forwardedPorts.remove((int) m.port());
                if (m.wantReply()) {
                    replies.add(RequestSuccess.bare());
                }
            }
            case UdpSendTo m when state == State.FORWARDING -> {
                // consumed without a reply, as MPS does; we forward no UDP
            }
            case UnknownGlobalRequest m when state == State.FORWARDING -> {
                if (m.wantReply()) {
                    replies.add(new RequestFailure());
                }
            }
            case ChannelOpen m when state == State.FORWARDING ->
                    // devices do not open channels to us; answer as MPS does
                    replies.add(new ChannelOpenFailure(m.senderChannel(), ChannelOpenFailure.UNKNOWN_CHANNEL_TYPE));
            case ChannelOpenConfirmation m when state == State.FORWARDING -> {
                Channel c = channel(m.recipientChannel(), ChannelState.OPENING);
                c.peerId = m.senderChannel();
                c.sendCredit = m.initialWindow();
                if (c.closeWhenConfirmed) {
                    // closed by the gateway while opening: finish the close now, as MPS does
                    c.state = ChannelState.CLOSING;
                    replies.add(new ChannelClose(c.peerId));
                } else {
                    c.state = ChannelState.OPEN;
                    events.add(new Event.ChannelOpened(c.id));
                }
            }
            case ChannelOpenFailure m when state == State.FORWARDING -> {
                Channel c = channel(m.recipientChannel(), ChannelState.OPENING);
                channels.remove(c.id);
                events.add(new Event.ChannelOpenFailed(c.id, m.reasonCode()));
            }
            case ChannelWindowAdjust m when state == State.FORWARDING -> {
                Channel c = openOrClosing(m.recipientChannel());
                long credit = c.sendCredit + m.bytesToAdd();
                if (credit > ApfLimits.U32_MAX) {
                    throw new ApfProtocolException(Reason.WINDOW_EXCEEDED,
                            "WINDOW_ADJUST grows channel " + c.id + " past 2^32-1");
                }
                c.sendCredit = credit;
            }
            case ChannelData m when state == State.FORWARDING -> {
                Channel c = openOrClosing(m.recipientChannel());
                if (m.dataLength() > c.receiveRemaining) {
                    throw new ApfProtocolException(Reason.WINDOW_EXCEEDED, "CHANNEL_DATA of " + m.dataLength()
                            + " bytes on channel " + c.id + " exceeds the remaining window of " + c.receiveRemaining);
                }
                c.receiveRemaining -= m.dataLength();
                events.add(new Event.ChannelDataReceived(c.id, m.dataLength()));
            }
            case ChannelClose m when state == State.FORWARDING -> {
                Channel c = openOrClosing(m.recipientChannel());
                if (c.state == ChannelState.OPEN) {
                    replies.add(new ChannelClose(c.peerId));
                }
                channels.remove(c.id);
                events.add(new Event.ChannelClosed(c.id));
            }
            default -> throw new ApfProtocolException(Reason.UNEXPECTED_MESSAGE,
                    message.type() + " is not allowed in state " + state);
        }
        return Step.of(replies, events);
    }

    private void forward(TcpipForward m, List<ApfMessage> replies, List<Event> events) {
        int port = (int) m.port();
        if (!WSMAN_PORTS.contains(port)) {
            replies.add(new RequestFailure());
            return;
        }
        forwardedPorts.add(port);
        replies.add(RequestSuccess.forPort(port));
        events.add(new Event.PortForwarded(port));
        if (!keepAliveOptionsSent) {
            // ask for a keepalive interval under the idle timeout as soon as a port is usable
            keepAliveOptionsSent = true;
            replies.add(new KeepAliveOptionsRequest(config.keepAliveSeconds(), 0));
        }
    }

    /** The result of the password check requested by {@link Event.AuthenticationRequested}. */
    public Step completeAuthentication(boolean accepted) {
        if (state != State.AUTHENTICATING) {
            throw new IllegalStateException("no authentication is pending (state " + state + ")");
        }
        if (accepted) {
            state = State.AWAITING_PFWD_SERVICE;
            return Step.of(List.of(new UserAuthSuccess()), List.of());
        }
        // MPS leaves the socket open after a failure; the device may retry, the idle timeout bounds it
        state = State.AWAITING_USERAUTH;
        return Step.of(List.of(UserAuthFailure.passwordOnly()), List.of());
    }

    /**
     * Opens a channel to a forwarded port.
     *
     * @return the CHANNEL_OPEN to write; its sender channel is the new channel's id
     * @throws IllegalStateException if the port is not forwarded or {@link Config#maxChannels()} are in use
     */
    public ChannelOpen openChannel(int port, String originatorAddress, int originatorPort) {
        if (state != State.FORWARDING || !forwardedPorts.contains(port)) {
            throw new IllegalStateException("port " + port + " is not forwarded");
        }
        if (channels.size() >= config.maxChannels()) {
            throw new IllegalStateException("all " + config.maxChannels() + " channels are in use");
        }
        long id = nextChannelId;
        nextChannelId = nextChannelId == ApfLimits.U32_MAX ? FIRST_CHANNEL_ID : nextChannelId + 1;
        channels.put(id, new Channel(id, port, config.receiveWindow()));
        return new ChannelOpen(ChannelOpen.FORWARDED_TCPIP, id, config.receiveWindow(), "", port,
                originatorAddress, originatorPort);
    }

    /** How many bytes we may send on the channel now (the device's remaining window). */
    public long sendCredit(long channelId) {
        return openForGateway(channelId).sendCredit;
    }

    /**
     * Wraps bytes for the device, spending send credit.
     *
     * @throws IllegalStateException if the channel is not open or the bytes exceed its send credit
     */
    public ChannelData send(long channelId, byte[] data) {
        Channel c = openForGateway(channelId);
        if (data.length > c.sendCredit) {
            throw new IllegalStateException(data.length + " bytes exceed the send credit of " + c.sendCredit);
        }
        c.sendCredit -= data.length;
        return new ChannelData(c.peerId, data);
    }

    /**
     * Reports bytes of a channel as processed. Credit goes back to the device with WINDOW_ADJUST once more
     * than half our window is consumed, as MPS does, rather than for every small read.
     */
    public Optional<ChannelWindowAdjust> consumed(long channelId, int bytes) {
        Channel c = channels.get(channelId);
        if (c == null || c.state != ChannelState.OPEN) {
            return Optional.empty();
        }
        long outstanding = config.receiveWindow() - c.receiveRemaining - c.consumedUnacknowledged;
        if (bytes < 0 || bytes > outstanding) {
            throw new IllegalArgumentException("consumed " + bytes + " bytes but only " + outstanding + " are pending");
        }
        c.consumedUnacknowledged += bytes;
        if (c.consumedUnacknowledged <= config.receiveWindow() / 2) {
            return Optional.empty();
        }
        long add = c.consumedUnacknowledged;
        c.consumedUnacknowledged = 0;
        c.receiveRemaining += add;
        return Optional.of(new ChannelWindowAdjust(c.peerId, add));
    }

    /**
     * Starts closing a channel; it is freed when the device's CLOSE arrives. A channel still opening is
     * closed when its confirmation arrives (the CLOSE is then a reply of {@link #receive}).
     */
    public Optional<ChannelClose> close(long channelId) {
        Channel c = channels.get(channelId);
        if (c != null && c.state == ChannelState.OPENING) {
            c.closeWhenConfirmed = true;
            return Optional.empty();
        }
        if (c == null || c.state != ChannelState.OPEN) {
            return Optional.empty();
        }
        c.state = ChannelState.CLOSING;
        return Optional.of(new ChannelClose(c.peerId));
    }

    public int openChannels() {
        return channels.size();
    }

    private Channel channel(long id, ChannelState expected) {
        Channel c = channels.get(id);
        if (c == null || c.state != expected) {
            throw new ApfProtocolException(Reason.UNKNOWN_CHANNEL, "channel " + id + " is not " + expected);
        }
        return c;
    }

    /** A channel the gateway names must be open; naming another one is a bug in the gateway, not the device. */
    private Channel openForGateway(long id) {
        Channel c = channels.get(id);
        if (c == null || c.state != ChannelState.OPEN) {
            throw new IllegalStateException("channel " + id + " is not open");
        }
        return c;
    }

    private Channel openOrClosing(long id) {
        Channel c = channels.get(id);
        if (c == null || c.state == ChannelState.OPENING) {
            throw new ApfProtocolException(Reason.UNKNOWN_CHANNEL, "channel " + id + " is not open");
        }
        return c;
    }
}
