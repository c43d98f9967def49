package org.amtbus.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MosquittoTest {

    @Test
    void theAclGrantsTheBenchAccountWhatTheNodeGrantsIt() {
        assertThat(Mosquitto.aclFile("bench", "bench/#")).isEqualTo("user bench\ntopic readwrite bench/#\n");
    }

    @Test
    void theConfigurationHasATls13ListenerAPlainOneOnLoopbackAndNoAnonymousAccess() {
        Mosquitto m = new Mosquitto(Path.of("/tmp/x"));
        String conf = m.config(Path.of("/t/broker.crt"), Path.of("/t/broker.key"), Path.of("/t/ca.crt"), Path.of("/p"), Path.of("/a"));
        assertThat(conf).contains("allow_anonymous false", "password_file /p", "acl_file /a", "set_tcp_nodelay true",
                "listener " + m.tlsPort + " 127.0.0.1\ncertfile /t/broker.crt\nkeyfile /t/broker.key\ncafile /t/ca.crt\ntls_version tlsv1.3",
                "listener " + m.plainPort + " 127.0.0.1\n");
    }
}
