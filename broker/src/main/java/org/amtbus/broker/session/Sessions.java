package org.amtbus.broker.session;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which client ids are connected under which username on this broker, so an access change can end
 * exactly the sessions of the account it concerns. Fed by Moquette's connect and disconnect events.
 */
public final class Sessions extends AbstractInterceptHandler {

    private final Map<String, Set<String>> clientsByUser = new ConcurrentHashMap<>();
    private final Map<String, String> userByClient = new ConcurrentHashMap<>();

    @Override
    public String getID() {
        return "amtbus-sessions";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptConnectMessage.class, InterceptDisconnectMessage.class, InterceptConnectionLostMessage.class};
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        if (msg.getUsername() != null) {
            userByClient.put(msg.getClientID(), msg.getUsername());
            clientsByUser.computeIfAbsent(msg.getUsername(), u -> ConcurrentHashMap.newKeySet()).add(msg.getClientID());
        }
    }

    @Override
    public void onDisconnect(InterceptDisconnectMessage msg) {
        forgetClient(msg.getClientID());
    }

    @Override
    public void onConnectionLost(InterceptConnectionLostMessage msg) {
        forgetClient(msg.getClientID());
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // logged by the command bridge; nothing to track here
    }

    private void forgetClient(String clientId) {
        String user = userByClient.remove(clientId);
        if (user != null) {
            clientsByUser.computeIfPresent(user, (u, clients) -> {
                clients.remove(clientId);
                return clients.isEmpty() ? null : clients;
            });
        }
    }

    /** The client ids connected under {@code username} right now. */
    public Set<String> clientsOf(String username) {
        return Set.copyOf(clientsByUser.getOrDefault(username, Set.of()));
    }
}
