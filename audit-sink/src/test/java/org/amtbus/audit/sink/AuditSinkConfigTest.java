package org.amtbus.audit.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.amtbus.audit.checkpoint.CheckpointKey;
import org.junit.jupiter.api.Test;

class AuditSinkConfigTest {

    @Test
    void defaultsConsumeTheAuditTopicEveryMinuteWithTheNamedKey() {
        AuditSinkConfig config = AuditSinkConfig.defaults();
        assertThat(config.topic()).isEqualTo("amtbus.audit");
        assertThat(config.groupId()).isEqualTo("amtbus-audit-sink");
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.checkpointKey()).isEqualTo(CheckpointKey.DEFAULT_NAME);
        assertThat(config.toString()).contains("audit/checkpoint-key");
    }

    @Test
    void refusesIntervalsAndSizesOutsideTheirBoundsNamingTheSetting() {
        assertThatThrownBy(() -> AuditSinkConfig.defaults().withCheckpointInterval(Duration.ofMillis(1)))
                .hasMessageContaining("audit.checkpointInterval");
        assertThatThrownBy(() -> AuditSinkConfig.defaults().withCheckpointInterval(Duration.ofDays(30)))
                .hasMessageContaining("audit.checkpointInterval");
        assertThatThrownBy(() -> new AuditSinkConfig("amtbus.audit", "g", Duration.ofMinutes(1),
                CheckpointKey.DEFAULT_NAME, 10, 500)).hasMessageContaining("audit.maxEventBytes");
        assertThatThrownBy(() -> AuditSinkConfig.defaults().withMaxBatch(0)).hasMessageContaining("audit.maxBatch");
        assertThatThrownBy(() -> AuditSinkConfig.defaults().withMaxBatch(50_000)).hasMessageContaining("audit.maxBatch");
    }
}
